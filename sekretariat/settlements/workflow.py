"""Forløbets trin: the one table of an IV course's steps, read by the services and the views.

Each step says which statuses it may be taken from, which status it leads to, any further
precondition on the course (with its Danish message), the action it is stored under, its URL
slug and the texts of its screen. The services call ``require`` before they write (the refusal
is the table's Danish message); the course page shows the forms of ``open_steps``, and
``views.course_step`` refuses a step that is not open with the same ``require``.

====================  ==========  ==============  ==============  ========================
step                  URL slug    allowed from    leads to        further precondition
====================  ==========  ==============  ==============  ========================
``assess``            vurdering   henvist         visiteret or    –
                                                  afvist
``plan``              plan        visiteret       (stays)         not yet recorded
``delegate``          delegering  visiteret       i_behandling    the plan is recorded
``visit``             besoeg      i_behandling    (stays)         –
``complete``          afslutning  i_behandling    afsluttet       –
``discharge_letter``  epikrise    afsluttet       (stays)         not yet recorded as sent
``deviation``         afvigelse   visiteret,      (stays)         –
                                  i_behandling,
                                  afsluttet
====================  ==========  ==============  ==============  ========================

The referral (``course_refer``) creates the course and is no step here: there is no course to
check yet. What the table does not hold are the checks of what a user types (a reason for
declining, a visit before the first day, an end before the start) and the engine's
eligibility rules on accepting: those stay in the services, beside the data they check.

This module holds the rules only: it imports neither the services nor the views nor the forms,
so that the services can read it without an import cycle. What a step's screen does (its form,
the service it calls, the message after success) is bound to these Step objects in ``steps``,
which the views use.

>>> [step.name for step in open_steps(Course(status=Course.Status.IN_TREATMENT))]
['visit', 'complete', 'deviation']
>>> [step.name for step in open_steps(Course(status=Course.Status.DECLINED))]
[]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sekretariat.core.errors import ApplicationError

from .models import Course

Status = Course.Status

#: The action the referral is stored under (it creates the course; see the module docstring).
REFER_ACTION = "course_refer"


@dataclass(frozen=True)
class Precondition:
    """A rule on the course beyond its status: ``holds(course)``, or the step is refused."""

    holds: Callable[[Course], bool]
    message: str


@dataclass(frozen=True, eq=False)
class Step:
    """Trin: one step of a course and its rules (compared by identity; ``steps`` binds its screen)."""

    #: Stable English identifier.
    name: str
    #: The URL slug of ``settlements:course_step`` (Danish, as the course's other URLs).
    slug: str
    #: The action its service records in the audit log and the ``CourseStepRecorded`` event.
    action: str
    label: str
    #: The statuses the step may be taken from, and the message when the course has another.
    allowed_from: frozenset[str]
    not_allowed: str
    #: The statuses it may lead to, the usual one first; empty when the status stays.
    leads_to: tuple[str, ...]
    preconditions: tuple[Precondition, ...]
    #: The text of the button that takes the step.
    submit_label: str = _("Save")
    #: Shown as a secondary action (it is not the course's next step).
    secondary: bool = False


# --- preconditions -------------------------------------------------------------------------


def _plan_recorded(course: Course) -> bool:
    return course.plan_recorded_at is not None


def _plan_not_recorded(course: Course) -> bool:
    return course.plan_recorded_at is None


def _discharge_letter_not_sent(course: Course) -> bool:
    return course.discharge_letter_sent_at is None


# --- the table --------------------------------------------------------------------------------

ASSESS = Step(
    name="assess",
    slug="vurdering",
    action="course_assess",
    label=_("Assess the referral"),
    allowed_from=frozenset({Status.REFERRED}),
    not_allowed=_("The referral has already been assessed."),
    leads_to=(Status.ACCEPTED, Status.DECLINED),
    preconditions=(),
)
PLAN = Step(
    name="plan",
    slug="plan",
    action="course_plan_record",
    label=_("Treatment plan"),
    allowed_from=frozenset({Status.ACCEPTED}),
    not_allowed=_("A treatment plan is recorded after the course is accepted."),
    leads_to=(),
    preconditions=(Precondition(_plan_not_recorded, _("The treatment plan is already recorded.")),),
)
DELEGATE = Step(
    name="delegate",
    slug="delegering",
    action="course_delegate",
    label=_("Delegation"),
    allowed_from=frozenset({Status.ACCEPTED}),
    not_allowed=_("The delegation is recorded after the course is accepted."),
    leads_to=(Status.IN_TREATMENT,),
    preconditions=(
        Precondition(_plan_recorded, _("Record the treatment plan before the delegation.")),
    ),
)
VISIT = Step(
    name="visit",
    slug="besoeg",
    action="visit_record",
    label=_("Record a visit"),
    allowed_from=frozenset({Status.IN_TREATMENT}),
    not_allowed=_("Visits are recorded while the course is in treatment."),
    leads_to=(),
    preconditions=(),
)
COMPLETE = Step(
    name="complete",
    slug="afslutning",
    action="course_complete",
    label=_("Complete the course"),
    allowed_from=frozenset({Status.IN_TREATMENT}),
    not_allowed=_("Only a course in treatment can be completed."),
    leads_to=(Status.COMPLETED,),
    preconditions=(),
)
DISCHARGE_LETTER = Step(
    name="discharge_letter",
    slug="epikrise",
    action="course_discharge_letter_send",
    label=_("Discharge letter"),
    allowed_from=frozenset({Status.COMPLETED}),
    not_allowed=_("The discharge letter is sent after the course is completed."),
    leads_to=(),
    preconditions=(
        Precondition(
            _discharge_letter_not_sent, _("The discharge letter is already recorded as sent.")
        ),
    ),
    submit_label=_("Discharge letter sent to the GP"),
)
DEVIATION = Step(
    name="deviation",
    slug="afvigelse",
    action="course_deviation_record",
    label=_("Report a deviation"),
    allowed_from=frozenset({Status.ACCEPTED, Status.IN_TREATMENT, Status.COMPLETED}),
    not_allowed=_("Deviations are recorded on accepted courses."),
    leads_to=(),
    preconditions=(),
    secondary=True,
)

#: Every step, in the order the course page shows their forms.
STEPS: tuple[Step, ...] = (ASSESS, PLAN, DELEGATE, VISIT, COMPLETE, DISCHARGE_LETTER, DEVIATION)

_BY_SLUG = {step.slug: step for step in STEPS}


# --- reading the table ----------------------------------------------------------------------


def step_for_slug(slug: str) -> Step | None:
    """The step whose URL slug is ``slug``, or None."""
    return _BY_SLUG.get(slug)


def refusal(course: Course, step: Step) -> str | None:
    """Why ``step`` cannot be taken on ``course`` now (the first broken rule), or None."""
    if course.status not in step.allowed_from:
        return step.not_allowed
    for precondition in step.preconditions:
        if not precondition.holds(course):
            return precondition.message
    return None


def require(course: Course, step: Step) -> None:
    """Raise ApplicationError with the table's message unless ``step`` is open to ``course``."""
    message = refusal(course, step)
    if message is not None:
        raise ApplicationError(str(message))


def open_steps(course: Course) -> tuple[Step, ...]:
    """The steps that may be taken on ``course`` now, in the table's order."""
    return tuple(step for step in STEPS if refusal(course, step) is None)


def advance(course: Course, step: Step, to: str | None = None) -> None:
    """Set the status ``step`` leads to (``to`` picks one when it may lead to several).

    A status outside the step's ``leads_to`` is a programming error, not a user's."""
    if to is None and len(step.leads_to) != 1:
        raise ValueError(f"the step {step.name!r} leads to {step.leads_to!r}: name one")
    status = step.leads_to[0] if to is None else to
    if status not in step.leads_to:
        raise ValueError(f"the step {step.name!r} does not lead to {status!r}")
    course.status = status
