"""The screens of the course's steps: each step of ``workflow`` bound to its form, the service
it calls and the message after success.

``workflow`` holds the rules (statuses, preconditions, actions, slugs, labels) and is read by
the services and the views alike; this module, used by the views only, adds what a step's screen
does. It imports the table, the forms and the services; none of them imports it, so there is no
import cycle. ``SCREENS`` is keyed by the table's own Step objects, one binding per step.

>>> [SCREENS[step].form_class.__name__ for step in workflow.STEPS[:2]]
['AssessForm', 'PlanForm']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from . import forms, services, workflow
from .models import Course


@dataclass(frozen=True)
class StepScreen:
    """What the screen of one step does: its form, its service call and its message."""

    form_class: type[django_forms.Form]
    #: Calls the step's service with the form's cleaned data: ``perform(course, data, actor)``.
    perform: Callable[[Course, dict, Any], object]
    #: The message after success.
    done: str
    #: The form's initial values for this course.
    initial: Callable[[Course], dict] | None = None

    def form(self, course: Course, data=None) -> django_forms.Form:
        """The step's form for ``course``, bound to ``data`` when given."""
        return self.form_class(data, initial=self.initial(course) if self.initial else None)


# --- initial values -------------------------------------------------------------------------


def _visit_initial(course: Course) -> dict:
    return {"setting": course.setting}


# --- the services, called with a form's cleaned data ----------------------------------------


def _perform_assess(course: Course, data: dict, actor):
    return services.course_assess(
        course=course,
        accept=data["decision"] == "accept",
        decline_category=data["decline_category"],
        decline_reason=data["decline_reason"],
        at=data.get("assessed_at"),
        actor=actor,
    )


def _perform_plan(course: Course, data: dict, actor):
    values = {k: v for k, v in data.items() if k != "plan_recorded_at"}
    return services.course_plan_record(
        course=course, at=data.get("plan_recorded_at"), actor=actor, **values
    )


def _perform_delegate(course: Course, data: dict, actor):
    return services.course_delegate(
        course=course,
        delegated_by=data["delegated_by"],
        at=data.get("delegation_recorded_at"),
        actor=actor,
    )


def _perform_visit(course: Course, data: dict, actor):
    return services.visit_record(course=course, actor=actor, **data)


def _perform_complete(course: Course, data: dict, actor):
    return services.course_complete(course=course, actor=actor, **data)


def _perform_discharge_letter(course: Course, data: dict, actor):
    return services.course_discharge_letter_send(course=course, actor=actor)


def _perform_deviation(course: Course, data: dict, actor):
    return services.course_deviation_record(course=course, actor=actor, **data)


# --- the bindings -----------------------------------------------------------------------------

#: Every step of ``workflow.STEPS`` and its screen (read-only).
SCREENS: Mapping[workflow.Step, StepScreen] = MappingProxyType(
    {
        workflow.ASSESS: StepScreen(
            form_class=forms.AssessForm,
            perform=_perform_assess,
            done=_("The assessment is recorded."),
        ),
        workflow.PLAN: StepScreen(
            form_class=forms.PlanForm,
            perform=_perform_plan,
            done=_("The treatment plan is recorded."),
        ),
        workflow.DELEGATE: StepScreen(
            form_class=forms.DelegationForm,
            perform=_perform_delegate,
            done=_("The delegation is recorded."),
        ),
        workflow.VISIT: StepScreen(
            form_class=forms.VisitForm,
            perform=_perform_visit,
            done=_("The visit is recorded."),
            initial=_visit_initial,
        ),
        workflow.COMPLETE: StepScreen(
            form_class=forms.CompleteForm,
            perform=_perform_complete,
            done=_("The course is completed."),
        ),
        workflow.DISCHARGE_LETTER: StepScreen(
            form_class=django_forms.Form,
            perform=_perform_discharge_letter,
            done=_("The discharge letter is recorded as sent."),
        ),
        workflow.DEVIATION: StepScreen(
            form_class=forms.DeviationForm,
            perform=_perform_deviation,
            done=_("The deviation is recorded."),
        ),
    }
)


def open_forms(
    course: Course, posted: workflow.Step | None = None, data=None
) -> dict[workflow.Step, django_forms.Form]:
    """The forms of the steps open to ``course``, in the table's order (the form of the step
    ``posted`` bound to ``data``)."""
    return {
        step: SCREENS[step].form(course, data if step is posted else None)
        for step in workflow.open_steps(course)
    }
