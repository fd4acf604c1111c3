"""Population figures: the CSV reader (pure), the import service, the command and the upload form.
A wrong column or a bad number gives a Danish message with line and column, and nothing is
written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from sekretariat.core.errors import ApplicationError
from sekretariat.settlements import services
from sekretariat.settlements.models import PopulationFigure
from sekretariat.settlements.population import PopulationFileError, read_population_csv

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipalities():
    return f.municipality("Tangby Kommune", "931"), f.municipality("Mosevang Kommune", "932")


def test_reader_accepts_danish_headers_semicolons_and_thousands_separators():
    rows = read_population_csv(
        "\ufeffKommunekode;Navn;Folketal;År\n931;Tangby Kommune;52.314;2024\n\n932;Mosevang;9 871;2024\n".encode()
    )
    assert [(r.code, r.population, r.year) for r in rows] == [
        ("931", 52314, 2024),
        ("932", 9871, 2024),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name,inhabitants_x,year\n931,T,5,2024\n", "Linje 1: kolonnen 'population' mangler"),
        (
            "code,name,population,year\n931,T,5.2a,2024\n",
            "Linje 2, kolonne 'population': '5.2a' er ikke et helt antal indbyggere",
        ),
        (
            "code,name,population,year\n931,T,5000,24\n",
            "Linje 2, kolonne 'year': '24' er ikke et årstal",
        ),
        (
            "code,name,population,year\n931,T,5000,2024\n931,T,5001,2024\n",
            "Linje 3, kolonne 'code': kommune 931 og år 2024 står også i linje 2",
        ),
        (
            "code,name,population,year\n931,T\n",
            "Linje 2, kolonne 'population': linjen har 2 felter",
        ),
        ("code,name,population,year\n", "ingen tal"),
    ],
)
def test_reader_names_line_and_column(text, message):
    with pytest.raises(PopulationFileError) as exc:
        read_population_csv(text.encode())
    assert message in str(exc.value)


def test_reader_refuses_other_encodings():
    with pytest.raises(PopulationFileError, match="UTF-8"):
        read_population_csv("kode;navn;folketal;år\n931;Tårnby;5;2024\n".encode("cp1252"))


def test_import_writes_all_or_nothing(municipalities):
    good = "code,name,population,year\n931,Tangby Kommune,41230,2023\n932,Mosevang,17345,2023\n"
    assert services.population_import(data=good.encode()) == 2
    bad = "code,name,population,year\n931,Tangby,41999,2024\n999,Ukendt,1,2024\n932,Skovby,5,2024\n"
    with pytest.raises(ApplicationError) as exc:
        services.population_import(data=bad.encode())
    assert "Linje 3, kolonne 'code': ingen kommune har koden '999'" in exc.value.message
    assert (
        "Linje 4, kolonne 'name': koden 932 hører til Mosevang Kommune, ikke 'Skovby'"
        in exc.value.message
    )
    assert (
        PopulationFigure.objects.count() == 2
        and not PopulationFigure.objects.filter(year=2024).exists()
    )
    # Importing a year again replaces its figures.
    services.population_import(data=b"code,name,population,year\n931,,41231,2023\n")
    assert (
        PopulationFigure.objects.get(municipality=municipalities[0], year=2023).population == 41231
    )


def test_command_imports_and_reports_errors(tmp_path, municipalities, capsys):
    path = tmp_path / "folketal.csv"
    path.write_text(
        "kommunekode;navn;folketal;år\n931;Tangby Kommune;40.001;2022\n", encoding="utf-8"
    )
    call_command("population_import", str(path))
    assert PopulationFigure.objects.get(year=2022).population == 40001
    path.write_text(
        "kommunekode;navn;folketal;år\n931;Tangby Kommune;fyrre;2021\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as exc:
        call_command("population_import", str(path))
    assert exc.value.returncode == 2
    assert "Linje 2, kolonne 'folketal': 'fyrre'" in capsys.readouterr().err
    assert not PopulationFigure.objects.filter(year=2021).exists()


def test_upload_form_for_secretariat_staff_only(client, municipalities):
    url = reverse("settlements:population")
    client.force_login(f.municipal_user(municipalities[0]))
    assert client.get(url).status_code == 403
    client.force_login(f.secretariat_staff())
    upload = SimpleUploadedFile("folketal.csv", b"code,name,population,year\n931,Tangby,x12,2024\n")
    r = client.post(url, {"file": upload})
    assert r.status_code == 200
    assert "Linje 2, kolonne &#x27;population&#x27;: &#x27;x12&#x27;" in r.text
    assert "intet er skrevet" in r.text and not PopulationFigure.objects.exists()
    upload = SimpleUploadedFile(
        "folketal.csv", b"code,name,population,year\n931,Tangby,31337,2024\n"
    )
    r = client.post(url, {"file": upload}, follow=True)
    assert "31.337" in r.text and "1 folketal er indlæst" in r.text
