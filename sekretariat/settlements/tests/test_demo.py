"""The IV demo: a plausible year that climbs the staircase and flags the planted outlier."""

import datetime

import pytest
from django.db.models import Count

from sekretariat.bodies.models import Organisation
from sekretariat.settlements import reports
from sekretariat.settlements.demo import (
    AGREEMENT_ID,
    MUNICIPALITIES,
    demo_year,
    settlements_demo_build,
)
from sekretariat.settlements.models import Course, SettlementLine, Visit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def demo():
    names = {
        "901": "Fjordby Kommune",
        "902": "Skovlund Kommune",
        "903": "Havnsø Kommune",
        "904": "Bakkedal Kommune",
        "905": "Lyngmose Kommune",
    }
    for code, name in names.items():
        Organisation.objects.create(name=name, kind="kommune", code=code)
    Organisation.objects.create(name="Region Vestkyst", kind="region")
    return settlements_demo_build(TODAY, password="demo-7f3a")


def test_demo_year_is_the_latest_full_year_of_the_agreement():
    assert demo_year(TODAY) == 2022
    assert demo_year(datetime.date(2023, 5, 1)) == 2022


def test_demo_year_reaches_step_three_with_plausible_courses(demo):
    assert 3000 < demo["settled"] < 6000
    steps = dict(SettlementLine.objects.values_list("step").annotate(n=Count("id")))
    assert steps[1] == 1500 and steps[2] == 1500 and steps[3] > 0
    types = dict(Course.objects.values_list("treatment_type").annotate(n=Count("id")))
    assert set(types) == {"antibiotika", "vaeske", "pumpe"}
    assert types["antibiotika"] > types["vaeske"] > types["pumpe"]
    settings = dict(Course.objects.values_list("setting").annotate(n=Count("id")))
    assert 0.4 < settings["hjemme"] / sum(settings.values()) < 0.6
    declined = Course.objects.filter(status="afvist")
    assert 0.03 < declined.count() / demo["courses"] < 0.12
    assert not declined.filter(decline_category="").exists()
    assert not declined.filter(decline_reason="").exists()
    assert Visit.objects.count() == demo["visits"] + 10 > demo["settled"] * 5  # + 10 open
    assert Course.objects.filter(status__in=["henvist", "visiteret", "i_behandling"]).count() == 4

    region = Organisation.objects.get(name="Region Vestkyst")
    report = reports.monitoring_report(
        region=region, year=2022, quarter=4, agreement_id=AGREEMENT_ID, with_charts=False
    )
    flagged = {name for _metric, name, _direction in report.flagged}
    assert flagged == {"Havnsø Kommune"}
    assert len(report.municipalities) == len(MUNICIPALITIES)
