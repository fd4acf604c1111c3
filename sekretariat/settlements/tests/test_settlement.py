"""Settlement runs: stored with versions, totals equal to the engine's, statements as PDF and
XLSX, and the CSV export identical to `sekretariat iv settle` on the same courses."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pypdfium2
import pytest
from django.urls import reverse

from sekretariat.agreements import cli
from sekretariat.agreements.registry import get_agreement
from sekretariat.agreements.settlement import Course as EngineCourse
from sekretariat.agreements.settlement import settle
from sekretariat.core.errors import ApplicationError
from sekretariat.settlements import documents, engine, services
from sekretariat.settlements.models import SettlementLine

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled():
    """Two municipalities, three types, one running course and one from another year."""
    reg = f.region("Region Kyststrøg 8e8e")
    north, south = f.municipality("Nordby 8e8e", "871"), f.municipality("Sønderby 8e8e", "872")
    courses = [
        f.completed(north, reg, type_code="antibiotika", start=datetime.date(2022, 1, 10), days=9),
        f.completed(north, reg, type_code="vaeske", start=datetime.date(2022, 2, 3), days=5),
        f.completed(south, reg, type_code="pumpe", start=datetime.date(2022, 2, 3), days=11),
        f.completed(south, reg, type_code="antibiotika", start=datetime.date(2022, 6, 1), days=4),
        f.completed(south, reg, type_code="vaeske", start=datetime.date(2021, 12, 20), days=3),
    ]
    running = f.referred(north, reg, day=datetime.date(2022, 7, 1))
    services.course_assess(course=running, accept=True)
    run = services.settlement_run_create(region=reg, year=2022, agreement_id=f.AGREEMENT)
    return run, reg, north, south, courses


def test_a_run_is_stored_with_versions_and_the_engines_totals(settled):
    run, reg, north, south, courses = settled
    expected = settle(
        get_agreement(f.AGREEMENT),
        2022,
        [
            EngineCourse(
                c.reference,
                c.municipality.name,
                c.treatment_type,
                c.start_date,
                c.end_date,
                c.setting,
            )
            for c in courses[:4]
        ],
    )
    assert run.agreement_id == "hovedstaden-2021"
    assert (
        run.agreement_sha256 == engine.agreement_sha256(f.AGREEMENT)
        and len(run.agreement_sha256) == 64
    )
    assert run.engine_version == engine.engine_version() and "+" in run.engine_version
    assert run.total_dkk == expected.total_dkk and run.course_count == 4
    assert {(s.municipality.name, s.course_count, s.amount_dkk) for s in run.statements.all()} == {
        (t.municipality, t.courses, t.amount_dkk) for t in expected.by_municipality()
    }
    # 9 days of antibiotics at step 1: course tariff (days 1-6) + 3 day tariffs.
    line = SettlementLine.objects.get(run=run, course_reference=courses[0].reference)
    assert (line.days, line.step, line.extra_days, line.amount_dkk) == (
        9,
        1,
        3,
        Decimal("11370.00"),
    )
    assert line.rule_code == "hovedstaden-2021/antibiotika/trin-1"
    assert any("ikke afsluttet" in n or "not completed" in n for n in run.notices)
    assert any("prisfaktor" in n for n in run.notices)


def test_a_region_without_courses_cannot_be_settled():
    with pytest.raises(ApplicationError, match="ingen afsluttede forløb"):
        services.settlement_run_create(region=f.region(), year=2022, agreement_id=f.AGREEMENT)


def test_csv_export_is_what_the_command_line_prints_for_the_same_courses(settled, tmp_path):
    run, _reg, _n, _s, courses = settled
    stream = io.StringIO()
    documents.run_lines_csv(run, stream)
    source = tmp_path / "forloeb.csv"
    source.write_text(
        "course_id,municipality,type,start_date,end_date,setting\n"
        + "".join(
            f"{c.reference},{c.municipality.name},{c.treatment_type},{c.start_date},{c.end_date},{c.setting}\n"
            for c in courses[:4]
        ),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["settle", "--agreement", f.AGREEMENT, "--year", "2022", "--courses", str(source)], out, err
    )
    assert code == 0 and stream.getvalue() == out.getvalue()


def test_statement_pdf_holds_the_municipalitys_total(client, settled):
    run, _reg, north, _south, _ = settled
    statement = run.statements.get(municipality=north)
    client.force_login(f.municipal_user(north))
    url = reverse("settlements:statement_pdf", kwargs={"pk": run.pk, "municipality_pk": north.pk})
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(r.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    # antibiotics 9 days: 6,915 + 3 × 1,485; fluids 5 days: 1,343 + 2 × 341.
    assert statement.amount_dkk == Decimal("13395.00")
    assert "13.395,00" in text and "Nordby 8e8e" in text and run.engine_version in text


def test_statement_xlsx_sums_to_the_total(client, settled):
    run, _reg, _north, south, _ = settled
    statement = run.statements.get(municipality=south)
    client.force_login(f.secretariat_staff())
    url = reverse("settlements:statement_xlsx", kwargs={"pk": run.pk, "municipality_pk": south.pk})
    r = client.get(url)
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    lines = book["Forløb"]
    header = [cell.value for cell in lines[1]]
    amounts = [
        row[header.index("Beløb (kr.)")]
        for row in lines.iter_rows(min_row=2, values_only=True)
        if row[0] != "I alt"
    ]
    assert len(amounts) == statement.course_count == 2
    assert not any("_" in str(h) for h in header)  # no internal codes as headers
    assert sum(Decimal(str(a)) for a in amounts) == statement.amount_dkk
    summary = book["Opgørelse"]
    total_row = [row for row in summary.iter_rows(values_only=True) if row[0] == "I alt"][0]
    assert Decimal(str(total_row[-1])) == statement.amount_dkk


def test_other_municipalities_statements_are_hidden(client, settled):
    run, _reg, north, south, _ = settled
    client.force_login(f.municipal_user(north))
    r = client.get(reverse("settlements:run_detail", kwargs={"pk": run.pk}))
    assert "Nordby 8e8e" in r.text and "Sønderby 8e8e" not in r.text
    url = reverse("settlements:statement_xlsx", kwargs={"pk": run.pk, "municipality_pk": south.pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("settlements:run_csv", kwargs={"pk": run.pk})).status_code == 403


def test_secretariat_runs_a_settlement_from_the_screen(client, settled):
    _run, reg, *_ = settled
    client.force_login(f.secretariat_staff())
    r = client.post(
        reverse("settlements:run_list"),
        {"region": reg.pk, "year": 2022, "agreement_id": f.AGREEMENT, "price_factor": "1,0125"},
    )
    assert r.status_code == 302
    run = reg.iv_settlement_runs.order_by("-id").first()
    assert run.price_factor == Decimal("1.0125") and run.price_factor_source == "given"
    r = client.post(
        reverse("settlements:run_list"),
        {"region": reg.pk, "year": 2022, "agreement_id": f.AGREEMENT, "price_factor": "-2"},
    )
    assert r.status_code == 200 and "ikke et positivt tal" in r.text
