"""Forms of the IV screens. They check shapes; the rules live in services and the engine."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sekretariat.agreements.errors import PriceFactorError
from sekretariat.agreements.money import parse_price_factor
from sekretariat.agreements.registry import agreement_ids, get_agreement

from .models import Course, CourseAccess, DeclineCategory, Setting


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class NoEchoInput(forms.TextInput):
    """A text input that never renders its value back (for the CPR number): a form shown
    again after an error asks for the number anew instead of printing it into the page."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


def agreement_choices() -> list[tuple[str, str]]:
    return [(aid, get_agreement(aid).title) for aid in agreement_ids()]


def type_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for aid in agreement_ids():
        for treatment_type in get_agreement(aid).treatment_types:
            seen.setdefault(treatment_type.code, treatment_type.label)
    return list(seen.items())


def _agreement_period(agreement) -> str:
    start = date_format(agreement.effective_from, "j. F Y")
    if agreement.effective_until is None:
        return _("The agreement applies from %(start)s.") % {"start": start}
    end = date_format(agreement.effective_until, "j. F Y")
    return _("The agreement applies from %(start)s to %(end)s.") % {"start": start, "end": end}


def _now_local() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


class ReferralForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    agreement_id = forms.ChoiceField(label=_("Agreement"), choices=agreement_choices)
    hospital = forms.CharField(label=_("Hospital"), max_length=200)
    department = forms.CharField(label=_("Department"), max_length=200)
    referred_at = forms.DateTimeField(
        label=_("Referral received"), widget=DateTimeInput(), initial=_now_local
    )
    treatment_type = forms.ChoiceField(label=_("Treatment type"), choices=type_choices)
    setting = forms.ChoiceField(label=_("Place"), choices=Setting.choices)
    visits_per_day = forms.IntegerField(
        label=_("Visits per day"), min_value=1, max_value=24, initial=2
    )
    minutes_per_administration = forms.IntegerField(
        label=_("Minutes per administration"), min_value=1, max_value=600, initial=30
    )
    night_visit = forms.BooleanField(label=_("A visit falls between 23 and 07"), required=False)
    first_dose_at_hospital = forms.BooleanField(
        label=_("The first dose was given at hospital"), required=False, initial=True
    )
    patient_accepts = forms.BooleanField(
        label=_("The patient accepts treatment in municipal care"), required=False, initial=True
    )
    medically_suitable = forms.BooleanField(
        label=_("The patient is medically assessed suitable"), required=False, initial=True
    )
    cpr = forms.CharField(
        label=_("CPR number (optional)"),
        required=False,
        max_length=11,
        widget=NoEchoInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_(
            "Used only to link the patient's courses: stored as a keyed hash, never as the number."
        ),
    )

    def __init__(self, *args, municipalities, regions, **kwargs):
        super().__init__(*args, **kwargs)
        # Say each agreement's period before the referral is typed, and do not suggest today
        # when no agreement applies today.
        periods = [_agreement_period(get_agreement(aid)) for aid in agreement_ids()]
        self.fields["referred_at"].help_text = " ".join(periods)
        today = timezone.localdate()
        if not any(get_agreement(aid).in_force_on(today) for aid in agreement_ids()):
            self.fields["referred_at"].initial = None
        self.fields["municipality"].queryset = municipalities
        self.fields["region"].queryset = regions
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]


def _step_time(label):
    """When a step happened: now by default, changeable (a visitation done on the phone
    yesterday is recorded as yesterday)."""
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        initial=_now_local,
        required=False,
        help_text=_("Leave as it is if it happened now."),
    )


class AssessForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the course")), ("decline", _("Decline the course"))],
        widget=forms.RadioSelect,
    )
    decline_category = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[("", "---------"), *DeclineCategory.choices],
        required=False,
        help_text=_("Counted in the region-wide monitoring report."),
    )
    decline_reason = forms.CharField(
        label=_("Note for the municipality's own staff (optional)"),
        required=False,
        help_text=_("Not shown in the monitoring report or to other municipalities."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assessed_at = _step_time(_("Assessed"))


class PlanForm(forms.Form):
    plan_text = forms.CharField(
        label=_("Treatment plan"),
        help_text=_("Observations, blood tests, expected length, contact at the hospital."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = forms.DateField(label=_("First day of treatment"), widget=DateInput())
    planned_days = forms.IntegerField(
        label=_("Planned length (days)"), min_value=1, max_value=365, required=False
    )
    medication_record_updated = forms.BooleanField(
        label=_("The shared medication record (FMK) is updated"), required=False
    )
    plan_recorded_at = _step_time(_("Plan made"))


class DelegationForm(forms.Form):
    delegated_by = forms.CharField(label=_("Delegating doctor"), max_length=200)
    delegation_recorded_at = _step_time(_("Delegated"))


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(label=_("Time"), widget=DateTimeInput(), initial=_now_local)
    duration_minutes = forms.IntegerField(label=_("Minutes used"), min_value=1, max_value=600)
    setting = forms.ChoiceField(label=_("Place"), choices=Setting.choices)
    given_by = forms.CharField(label=_("Given by"), max_length=200)


class DeviationForm(forms.Form):
    description = forms.CharField(label=_("Deviation"), widget=forms.Textarea(attrs={"rows": 2}))
    message_sent = forms.BooleanField(
        label=_("Followed by a correspondence message"), required=False
    )


class CompleteForm(forms.Form):
    end_date = forms.DateField(label=_("Last day of treatment"), widget=DateInput())
    completion_note = forms.CharField(
        label=_("Completion note to the hospital"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CourseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Course.Status.choices, required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("All")
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, municipalities, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]


class SettlementRunForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    agreement_id = forms.ChoiceField(label=_("Agreement"), choices=agreement_choices)
    price_factor = forms.CharField(
        label=_("Price factor (optional)"),
        required=False,
        help_text=_("Replaces the agreement's price index for the year, e.g. 1.0234."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]

    def clean_price_factor(self):
        text = self.cleaned_data["price_factor"].strip()
        if not text:
            return None
        try:
            return parse_price_factor(text)
        except PriceFactorError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Up to quarter"),
        coerce=int,
        choices=[(1, "1."), (2, "2."), (3, "3."), (4, "4.")],
    )
    agreement_id = forms.ChoiceField(label=_("Agreement"), choices=agreement_choices)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Population file (CSV)"),
        help_text=_(
            "Columns: municipality code, name, population, year (kommunekode, navn, folketal, år)."
        ),
    )


class AccessGrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=CourseAccess.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Municipality or region"),
        queryset=None,
        required=False,
        help_text=_("For a municipality's IV staff the municipality; for finance the region."),
    )

    def __init__(self, *args, users, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["organisation"].queryset = organisations
