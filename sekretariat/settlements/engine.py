"""The bridge to the pure engine: stored rows in, the engine's input dataclasses out, and the
versions that identify what produced a result. No tariff rule lives here; see
``sekretariat.agreements``.
"""

import hashlib
from functools import cache
from importlib import metadata, resources

from sekretariat.agreements import registry
from sekretariat.agreements.eligibility import Referral
from sekretariat.agreements.model import Agreement
from sekretariat.agreements.monitoring import ReferralRecord
from sekretariat.agreements.settlement import Course as EngineCourse

from .models import Course

#: The engine's modules whose source fingerprints ``engine_version``.
_ENGINE_MODULES = ("model.py", "registry.py", "settlement.py", "money.py", "monitoring.py")


def agreement_choices() -> list[tuple[str, str]]:
    return [(aid, registry.get_agreement(aid).title) for aid in registry.agreement_ids()]


def agreement(agreement_id: str) -> Agreement:
    return registry.get_agreement(agreement_id)


@cache
def agreement_sha256(agreement_id: str) -> str:
    """SHA-256 of the agreement's data file: tariffs, steps and price index exactly as used."""
    filename = registry.AGREEMENTS[agreement_id]
    data = resources.files("sekretariat.agreements").joinpath("data", filename).read_bytes()
    return hashlib.sha256(data).hexdigest()


@cache
def engine_version() -> str:
    """The package version and a short hash of the engine's rule modules' source, e.g.
    ``0.1.0+3fa2c9d1e0b4``: two runs with the same value were settled by the same code."""
    digest = hashlib.sha256()
    package = resources.files("sekretariat.agreements")
    for name in _ENGINE_MODULES:
        digest.update(package.joinpath(name).read_bytes())
    try:
        version = metadata.version("sekretariat")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "0"
    return f"{version}+{digest.hexdigest()[:12]}"


def type_labels(agreement_id: str) -> dict[str, str]:
    return {t.code: t.label for t in agreement(agreement_id).treatment_types}


def referral_of(course: Course) -> Referral:
    return Referral(
        treatment_type=course.treatment_type,
        visits_per_day=course.visits_per_day,
        night_visit=course.night_visit,
        minutes_per_administration=course.minutes_per_administration,
        first_dose_at_hospital=course.first_dose_at_hospital,
        patient_accepts=course.patient_accepts,
        medically_suitable=course.medically_suitable,
    )


def engine_course(
    reference: str, municipality: str, treatment_type: str, start_date, end_date, setting: str
) -> EngineCourse:
    return EngineCourse(reference, municipality, treatment_type, start_date, end_date, setting)


def referral_record(
    reference: str,
    municipality: str,
    referred_on,
    treatment_type: str,
    visits_per_day: int,
    minutes_per_administration: int,
    accepted: bool,
    decline_reason: str,
) -> ReferralRecord:
    return ReferralRecord(
        referral_id=reference,
        municipality=municipality,
        referred_on=referred_on,
        treatment_type=treatment_type,
        visits_per_day=visits_per_day,
        minutes_per_administration=minutes_per_administration,
        accepted=accepted,
        decline_reason=decline_reason or None,
    )
