"""The quarterly monitoring report: page with SVG charts, the planted outlier flagged with the
rule stated, constant query counts, and the PDF."""

import datetime

import pypdfium2
import pytest
from django.urls import reverse

from sekretariat.settlements import reports, services

from . import factories as f

pytestmark = pytest.mark.django_db

NAMES = ["Alfa 1d1d", "Bravo 1d1d", "Charlie 1d1d", "Delta 1d1d", "Ekko Langforløb 1d1d"]


@pytest.fixture
def region_with_outlier():
    reg = f.region("Region Rapport 1d1d")
    orgs = [f.municipality(name, str(940 + i)) for i, name in enumerate(NAMES)]
    csv = "code,name,population,year\n" + "".join(
        f"{org.code},{org.name},{20000 + 500 * i},2022\n" for i, org in enumerate(orgs)
    )
    services.population_import(data=csv.encode())
    for i, org in enumerate(orgs):
        long = i == 4
        for n in range(4):
            f.completed(
                org,
                reg,
                type_code=("antibiotika", "vaeske")[n % 2],
                start=datetime.date(2022, 1 + 3 * (n % 4), 5 + i),
                days=(30 if long else 7) + (n % 2),
            )
    declined = f.referred(orgs[0], reg, day=datetime.date(2022, 2, 2))
    services.course_assess(
        course=declined,
        accept=False,
        decline_category="kapacitet",
        decline_reason="Weekendvagten er syg 1d1d",
    )
    return reg, orgs


def _url(reg, quarter=4):
    return (
        reverse("settlements:report")
        + f"?region={reg.pk}&year=2022&quarter={quarter}&agreement_id={f.AGREEMENT}"
    )


def test_report_flags_the_planted_outlier_and_states_the_rule(region_with_outlier):
    reg, orgs = region_with_outlier
    report = reports.monitoring_report(
        region=reg, year=2022, quarter=4, agreement_id=f.AGREEMENT, with_charts=False
    )
    flagged = {(metric.metric, name) for metric, name, _ in report.flagged}
    assert ("course_days_mean", "Ekko Langforløb 1d1d") in flagged
    assert ("cost_per_1000_inhabitants_dkk", "Ekko Langforløb 1d1d") in flagged
    assert not any(name != "Ekko Langforløb 1d1d" for _metric, name in flagged)
    assert report.total_courses == 20 and report.decline_reasons == [
        ("ingen ledig kapacitet i sygeplejen", 1)
    ]
    assert [q.courses for q in report.quarters] == [5, 5, 5, 5]
    half = reports.monitoring_report(
        region=reg, year=2022, quarter=2, agreement_id=f.AGREEMENT, with_charts=False
    )
    assert half.total_courses == 10 and half.period_end == datetime.date(2022, 6, 30)


def test_report_page_renders_charts_and_the_flag(
    client, region_with_outlier, django_assert_num_queries
):
    reg, orgs = region_with_outlier
    client.force_login(f.municipal_user(orgs[1]))
    # session, user, rights (1 for the IV grants, 2 for the header), the form's regions, and one
    # query each for courses, referrals, population and running courses: none grows with them
    with django_assert_num_queries(12):
        r = client.get(_url(reg))
    assert r.status_code == 200
    assert r.text.count("<svg") == 7
    assert "Forløb efter type og kommune" in r.text and "Trappen" in r.text
    assert "median ± 3·MAD" in r.text
    assert "Ekko Langforløb 1d1d</strong>" in r.text  # in the deviations table
    assert "iv-flagged" in r.text
    # The rows' patients are not in the report: no course reference at all.
    assert "IV-2022-" not in r.text
    for i in range(2):
        f.completed(orgs[2], reg, start=datetime.date(2022, 8, 1 + i), days=6)
    with django_assert_num_queries(12):
        client.get(_url(reg))


def test_report_pdf(client, region_with_outlier):
    reg, _orgs = region_with_outlier
    client.force_login(f.secretariat_staff())
    r = client.get(
        _url(reg).replace(reverse("settlements:report"), reverse("settlements:report_pdf"))
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(r.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    pages = len(pdf)
    pdf.close()
    assert pages >= 3
    assert "Region Rapport 1d1d" in text and "Ekko Langforløb 1d1d" in text
    assert "median ± 3·MAD" in text
    assert "Forløbets længde (dage)" in text  # an axis label: the SVG text reached the PDF


def test_report_with_bad_query_shows_the_form(client, region_with_outlier):
    reg, orgs = region_with_outlier
    client.force_login(f.municipal_user(orgs[0]))
    r = client.get(reverse("settlements:report") + f"?region={reg.pk}&year=abc&quarter=9")
    assert r.status_code == 200 and "<svg" not in r.text and "has-error" in r.text


def test_quarter_end():
    assert reports.quarter_end(2024, 1) == datetime.date(2024, 3, 31)
    assert reports.quarter_end(2024, 4) == datetime.date(2024, 12, 31)
    assert reports.latest_quarter(datetime.date(2026, 11, 22), 2026) == 4
    assert reports.latest_quarter(datetime.date(2026, 5, 2), 2026) == 2
    assert reports.latest_quarter(datetime.date(2026, 5, 2), 2025) == 4


def test_report_shows_the_parameters_per_municipality_and_quarter(client, region_with_outlier):
    reg, orgs = region_with_outlier
    report = reports.monitoring_report(
        region=reg, year=2022, quarter=4, agreement_id=f.AGREEMENT, with_charts=False
    )
    first = [x for x in report.figures if x.municipality == "Alfa 1d1d"]
    assert [x.quarter for x in first] == [1, 2, 3, 4]
    q1 = first[0]
    # Q1: one completed course plus one declined referral; the factory refers with 2 visits a
    # day of 30 minutes each.
    assert (q1.referred, q1.accepted, q1.declined) == (2, 1, 1)
    assert q1.treatments_per_day == 2 and q1.minutes_per_treatment == 30
    client.force_login(f.municipal_user(orgs[1]))
    text = client.get(_url(reg)).text
    assert "Aftalens parametre pr. kommune og kvartal" in text
    assert "Behandlinger pr. dag" in text and "Minutter pr. behandling" in text
