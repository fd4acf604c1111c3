"""Eligibility: every rule alone, on both sides of its boundary, and all together."""

import dataclasses
from datetime import date

import pytest

from sekretariat.agreements.eligibility import RULE_CODES, Referral, assess
from sekretariat.agreements.errors import ReferralError

IN_FORCE = date(2022, 6, 1)

# A referral that passes every rule; each case below changes one thing.
SUITABLE = Referral(
    treatment_type="antibiotika",
    visits_per_day=4,
    night_visit=False,
    minutes_per_administration=60,
    first_dose_at_hospital=True,
    patient_accepts=True,
    medically_suitable=True,
)


def codes(agreement, referral, on=IN_FORCE):
    return [reason.code for reason in assess(agreement, referral, on=on).reasons]


def test_the_base_referral_is_eligible(agreement):
    result = assess(agreement, SUITABLE, on=IN_FORCE)
    assert result.eligible
    assert result.reasons == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"visits_per_day": 5}, ["too-many-visits"]),
        ({"visits_per_day": 4}, []),
        ({"visits_per_day": 1}, []),
        ({"night_visit": True}, ["night-visit"]),
        ({"minutes_per_administration": 61}, ["long-administration"]),
        ({"minutes_per_administration": 60}, []),
        ({"first_dose_at_hospital": False}, ["first-dose"]),
        ({"patient_accepts": False}, ["patient-declines"]),
        ({"medically_suitable": False}, ["not-suitable"]),
        ({"treatment_type": "blodtransfusion"}, ["type-not-covered"]),
        ({"treatment_type": "væske"}, []),
        ({"treatment_type": " Pumpe "}, []),
        # The first-dose rule is an antibiotics rule: fluids and pump do not need it.
        ({"treatment_type": "vaeske", "first_dose_at_hospital": False}, []),
        ({"treatment_type": "pumpe", "first_dose_at_hospital": False}, []),
        # An uncovered type cannot be judged on the first-dose rule either.
        ({"treatment_type": "kemoterapi", "first_dose_at_hospital": False}, ["type-not-covered"]),
    ],
)
def test_each_rule_alone(agreement, change, expected):
    assert codes(agreement, dataclasses.replace(SUITABLE, **change)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 10, 3), ["not-in-force"]),
        (date(2021, 10, 4), []),
        (date(2023, 10, 3), []),
        (date(2023, 10, 4), ["not-in-force"]),
    ],
)
def test_agreement_period(agreement, day, expected):
    assert codes(agreement, SUITABLE, on=day) == expected


def test_every_rule_together_reports_every_reason_in_order(agreement):
    everything_wrong = Referral(
        treatment_type="antibiotika",
        visits_per_day=6,
        night_visit=True,
        minutes_per_administration=90,
        first_dose_at_hospital=False,
        patient_accepts=False,
        medically_suitable=False,
    )
    result = assess(agreement, everything_wrong, on=date(2020, 1, 1))
    assert not result.eligible
    assert [r.code for r in result.reasons] == [c for c in RULE_CODES if c != "type-not-covered"]
    messages = result.messages()
    assert "6 besøg" in messages[1] and "mere end 4" in messages[1]
    assert "23.00" in messages[2] and "07.00" in messages[2]
    assert "90 minutter" in messages[3] and "60 minutter" in messages[3]
    assert "anafylaksi" in messages[4]
    for reason in result.reasons:
        assert reason.citation.effective_from == date(2021, 10, 4)
        assert reason.citation.text


def test_uncovered_type_together_with_others(agreement):
    referral = dataclasses.replace(
        SUITABLE, treatment_type="dialyse", night_visit=True, patient_accepts=False
    )
    assert codes(agreement, referral) == ["type-not-covered", "night-visit", "patient-declines"]
    message = assess(agreement, referral, on=IN_FORCE).reasons[0].message
    assert "'dialyse'" in message and "IV-antibiotika" in message


@pytest.mark.parametrize(
    "change",
    [
        {"visits_per_day": 0},
        {"visits_per_day": -2},
        {"visits_per_day": True},
        {"minutes_per_administration": 0},
        {"minutes_per_administration": 12.5},
    ],
)
def test_impossible_referrals_are_errors(agreement, change):
    with pytest.raises(ReferralError):
        assess(agreement, dataclasses.replace(SUITABLE, **change), on=IN_FORCE)
