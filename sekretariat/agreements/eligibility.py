"""Målgruppe og afgrænsning: may a referred course be given in municipal care under the agreement?

Every rule is checked, and every one that fails is reported, so the hospital and the municipality
see all reasons at once. The limits (4 visits a day, the night window 23–07, 60 minutes per
administration) are the agreement's data, not constants here.

Rules (seed 002 / DOMAIN.md "Target group" and "Stays at hospital"; Region Hovedstaden from
4 October 2021, see ``Agreement.citations``):

=====================  ===========================================================================
code                   fails when
=====================  ===========================================================================
``not-in-force``       the referral date lies outside the agreement's period
``type-not-covered``   the type is not one the agreement covers (others need an individual deal)
``too-many-visits``    more than ``max_visits_per_day`` visits are expected per day
``night-visit``        any visit falls between ``night_from`` and ``night_until``
``long-administration`` one administration needs staff present > ``max_minutes_per_administration``
``first-dose``         the type requires the first dose at hospital, and it was not given there
``patient-declines``   the patient does not accept treatment in municipal care
``not-suitable``       the patient is not medically assessed suitable
=====================  ===========================================================================

>>> from datetime import date
>>> from .registry import get_agreement
>>> referral = Referral("antibiotika", visits_per_day=5, night_visit=False,
...     minutes_per_administration=30, first_dose_at_hospital=True,
...     patient_accepts=True, medically_suitable=True)
>>> result = assess(get_agreement("hovedstaden-2021"), referral, on=date(2022, 3, 1))
>>> result.eligible, [reason.code for reason in result.reasons]
(False, ['too-many-visits'])
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import ReferralError
from .model import Agreement, Citation


@dataclass(frozen=True)
class Referral:
    """Henvisning: what the hospital tells the municipality about a proposed course."""

    treatment_type: str
    visits_per_day: int
    night_visit: bool
    minutes_per_administration: int
    first_dose_at_hospital: bool
    patient_accepts: bool
    medically_suitable: bool


@dataclass(frozen=True)
class Reason:
    """One failed rule: a stable code, a Danish message, and where the rule comes from."""

    code: str
    message: str
    citation: Citation


@dataclass(frozen=True)
class Assessment:
    """Vurdering: eligible, or not with every failed rule in the order of the table above."""

    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def messages(self) -> list[str]:
        return [reason.message for reason in self.reasons]


RULE_CODES = (
    "not-in-force",
    "type-not-covered",
    "too-many-visits",
    "night-visit",
    "long-administration",
    "first-dose",
    "patient-declines",
    "not-suitable",
)


def assess(agreement: Agreement, referral: Referral, *, on: date) -> Assessment:
    """Check ``referral`` against every rule of ``agreement`` as it stands on the date ``on``."""
    _check_referral(referral)
    limits = agreement.eligibility
    spellings = agreement.spellings()
    type_code = spellings.get(referral.treatment_type.strip().lower())
    reasons: list[Reason] = []

    def fail(code: str, citation_key: str, message: str) -> None:
        reasons.append(Reason(code, message, agreement.citation(citation_key)))

    if not agreement.in_force_on(on):
        until = agreement.effective_until.isoformat() if agreement.effective_until else "—"
        fail(
            "not-in-force",
            "period",
            f"Aftalen {agreement.id} gælder ikke den {on.isoformat()} "
            f"(gælder {agreement.effective_from.isoformat()} til {until}).",
        )
    if type_code is None:
        covered = ", ".join(t.label for t in agreement.treatment_types)
        fail(
            "type-not-covered",
            "coverage",
            f"Behandlingstypen '{referral.treatment_type}' er ikke omfattet af aftalen "
            f"(omfattet: {covered}); den kræver en individuel aftale.",
        )
    if referral.visits_per_day > limits.max_visits_per_day:
        fail(
            "too-many-visits",
            "eligibility",
            f"Der forventes {referral.visits_per_day} besøg i døgnet; ved mere end "
            f"{limits.max_visits_per_day} forbliver behandlingen på hospitalet.",
        )
    if referral.night_visit:
        fail(
            "night-visit",
            "eligibility",
            f"Der er besøg mellem kl. {limits.night_from:%H.%M} og {limits.night_until:%H.%M}; "
            "så forbliver behandlingen på hospitalet.",
        )
    if referral.minutes_per_administration > limits.max_minutes_per_administration:
        fail(
            "long-administration",
            "eligibility",
            f"En administration kræver personale til stede i {referral.minutes_per_administration} "
            f"minutter; ved mere end {limits.max_minutes_per_administration} minutter forbliver "
            "behandlingen på hospitalet.",
        )
    if type_code is not None:
        treatment_type = agreement.treatment_type(type_code)
        if treatment_type.first_dose_at_hospital and not referral.first_dose_at_hospital:
            fail(
                "first-dose",
                "first_dose",
                f"Første dosis {treatment_type.label} er ikke givet på hospitalet "
                "(risiko for anafylaksi).",
            )
    if not referral.patient_accepts:
        fail(
            "patient-declines",
            "eligibility",
            "Patienten har ikke accepteret behandling i kommunalt regi.",
        )
    if not referral.medically_suitable:
        fail(
            "not-suitable",
            "eligibility",
            "Patienten er ikke lægefagligt vurderet egnet til behandling i kommunalt regi.",
        )
    return Assessment(tuple(reasons))


def _check_referral(referral: Referral) -> None:
    if not _is_count(referral.visits_per_day):
        raise ReferralError(
            f"Antal besøg i døgnet skal være et helt tal på mindst 1 (fik {referral.visits_per_day!r})."
        )
    if not _is_count(referral.minutes_per_administration):
        raise ReferralError(
            "Minutter pr. administration skal være et helt tal på mindst 1 "
            f"(fik {referral.minutes_per_administration!r})."
        )


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
