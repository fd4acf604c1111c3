"""Agreements as data: the registry, the loader's validation, and a second region without code."""

import copy
import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from sekretariat.agreements import registry
from sekretariat.agreements.eligibility import Referral, assess
from sekretariat.agreements.errors import AgreementDataError, UnknownAgreementError
from sekretariat.agreements.registry import get_agreement, load_agreement_file, parse_agreement
from sekretariat.agreements.settlement import Course, settle

from .conftest import DOMAIN_INCLUDED_DAYS, DOMAIN_TARIFFS


def hovedstaden_data() -> dict:
    text = resources.files("sekretariat.agreements").joinpath("data", "hovedstaden_2021.json")
    return json.loads(text.read_text(encoding="utf-8"))


def test_every_registered_agreement_loads_and_has_its_own_id():
    for agreement_id in registry.agreement_ids():
        assert get_agreement(agreement_id).id == agreement_id


def test_hovedstaden_matches_the_domain_tables(agreement):
    assert agreement.region == "Region Hovedstaden"
    assert len(agreement.municipalities) == 29
    assert agreement.effective_from == date(2021, 10, 4)
    assert agreement.tariffs.price_level_year == 2020
    assert agreement.price_index.factor(2020) == Decimal("1.0")
    for (type_code, step), (course, day) in DOMAIN_TARIFFS.items():
        tariff = agreement.tariffs.tariff(type_code, step)
        assert (tariff.course_dkk, tariff.day_dkk) == (Decimal(course), Decimal(day))
    for type_code, days in DOMAIN_INCLUDED_DAYS.items():
        assert agreement.treatment_type(type_code).included_days == days
    assert [(s.first_course, s.last_course) for s in agreement.steps] == [
        (1, 1500),
        (1501, 3000),
        (3001, None),
    ]
    assert agreement.spellings()["væske"] == "vaeske"


@pytest.mark.parametrize(
    ("ordinal", "step"),
    [(1, 1), (1500, 1), (1501, 2), (3000, 2), (3001, 3), (10**7, 3)],
)
def test_step_for(agreement, ordinal, step):
    assert agreement.step_for(ordinal).number == step


def test_unknown_agreement():
    with pytest.raises(UnknownAgreementError, match="Ukendt aftale 'sjaelland-2030'"):
        get_agreement("sjaelland-2030")


def _drop_step_two_tariff(data):
    del data["tariffs"]["rates"]["pumpe"]["2"]


def _gap_in_steps(data):
    data["steps"][1]["first_course"] = 1502


def _open_middle_step(data):
    data["steps"][1]["last_course"] = None


def _closed_top_step(data):
    data["steps"][2]["last_course"] = 9000


def _negative_tariff(data):
    data["tariffs"]["rates"]["vaeske"]["1"]["day_dkk"] = "-1"


def _fraction_of_ore(data):
    data["tariffs"]["rates"]["vaeske"]["1"]["day_dkk"] = "341.005"


def _zero_price_factor(data):
    data["price_index"]["2021"] = "0"


def _alias_clash(data):
    data["treatment_types"][2]["aliases"] = ["Væske"]


def _zero_included_days(data):
    data["treatment_types"][0]["included_days"] = 0


def _missing_citation(data):
    del data["citations"]["steps"]


def _bad_night_time(data):
    data["eligibility"]["night_from"] = "25:00"


def _until_before_from(data):
    data["effective_until"] = "2020-01-01"


def _rates_for_unknown_type(data):
    data["tariffs"]["rates"]["blod"] = data["tariffs"]["rates"]["pumpe"]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_drop_step_two_tariff, "taksterne for pumpe"),
        (_gap_in_steps, "trin 2 skal begynde ved forløb nr. 1501"),
        (_open_middle_step, "trin 2 skal have et last_course"),
        (_closed_top_step, "sidste trin skal være åbent"),
        (_negative_tariff, "må ikke være negativ"),
        (_fraction_of_ore, "hele øre"),
        (_zero_price_factor, "prisfaktoren for 2021 skal være positiv"),
        (_alias_clash, "samme kode eller alias"),
        (_zero_included_days, "'included_days' skal være et helt tal"),
        (_missing_citation, "'citations' mangler 'steps'"),
        (_bad_night_time, "'night_from' skal være et klokkeslæt"),
        (_until_before_from, "'effective_until' ligger før"),
        (_rates_for_unknown_type, "netop én tabel pr. behandlingstype"),
    ],
)
def test_loader_rejects_inconsistent_data(mutate, problem):
    data = hovedstaden_data()
    parse_agreement(copy.deepcopy(data), "ok.json")  # the untouched data is fine
    mutate(data)
    with pytest.raises(AgreementDataError) as caught:
        parse_agreement(data, "aendret.json")
    assert problem in str(caught.value)
    assert "aendret.json" in str(caught.value)


def test_loader_rejects_binary_floats(tmp_path):
    text = json.dumps(hovedstaden_data()).replace('"1.0"', "1.0")
    path = tmp_path / "float.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AgreementDataError, match="kommatal skal skrives som tekst"):
        load_agreement_file(path)


def another_region(tmp_path):
    """A fictional agreement with its own types, included days, two steps and a price index."""
    data = hovedstaden_data()
    data.update(
        id="testregion-2024",
        region="Region Test 7f3a",
        municipalities=["Nordby", "Sydby", "Østby"],
        effective_from="2024-01-01",
        effective_until=None,
        steps=[
            {"number": 1, "first_course": 1, "last_course": 2},
            {"number": 2, "first_course": 3, "last_course": None},
        ],
        treatment_types=[
            {"code": "antibiotika", "label": "IV-antibiotika", "included_days": 4,
             "first_dose_at_hospital": True},
            {"code": "blod", "label": "Blodtransfusion", "included_days": 1},
        ],
        tariffs={
            "price_level_year": 2023,
            "rates": {
                "antibiotika": {"1": {"course_dkk": "5000", "day_dkk": "1000.50"},
                                "2": {"course_dkk": "4000", "day_dkk": "900"}},
                "blod": {"1": {"course_dkk": "3000", "day_dkk": "0"},
                         "2": {"course_dkk": "2500", "day_dkk": "0"}},
            },
        },
        price_index={"2023": "1", "2024": "1.1"},
        eligibility={"max_visits_per_day": 2, "max_minutes_per_administration": 90,
                     "night_from": "22:00", "night_until": "06:00"},
    )  # fmt: skip
    path = tmp_path / "testregion_2024.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_agreement_file(path)


def test_another_regions_agreement_needs_no_engine_change(tmp_path):
    other = another_region(tmp_path)
    start = date(2024, 3, 1)
    courses = [
        Course("1", "Nordby", "antibiotika", start, date(2024, 3, 5), "hjemme"),  # 5 days
        Course("2", "Sydby", "blod", start, start, "klinik"),
        Course("3", "Østby", "antibiotika", start, date(2024, 3, 4), "hjemme"),  # 4 days, step 2
    ]
    result = settle(other, 2024, courses)
    assert [line.step for line in result.lines] == [1, 1, 2]
    first, second, third = result.lines
    # 5000 × 1.1 + 1 extra day × round(1000.50 × 1.1 = 1100.55)
    assert first.amount_dkk == Decimal("5500.00") + Decimal("1100.55")
    assert second.amount_dkk == Decimal("3300.00")
    assert (third.extra_days, third.amount_dkk) == (0, Decimal("4400.00"))
    assert result.price_factor.source == "index"
    referral = Referral("antibiotika", 3, False, 80, True, True, True)
    assessment = assess(other, referral, on=date(2030, 1, 1))
    assert [reason.code for reason in assessment.reasons] == ["too-many-visits"]
