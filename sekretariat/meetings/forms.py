"""Forms of the secretariat's screens. They check shapes; the rules live in services."""

import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sekretariat.bodies.models import Membership, Person

from .models import Access, AgendaItem, Attendance


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    is_virtual = forms.BooleanField(label=_("Virtual meeting"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class MeetingCreateForm(MeetingForm):
    with_standing_items = forms.BooleanField(
        label=_("Add the standing items (approval of agenda and minutes, any other business)"),
        required=False,
        initial=True,
    )


class MeetingPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    dates = forms.CharField(
        label=_("Dates"),
        help_text=_("One date per line, as DD.MM.YYYY or YYYY-MM-DD."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    start_time = forms.TimeField(label=_("Start time"), initial=datetime.time(9, 0))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=24 * 60, initial=120
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)

    def clean_dates(self):
        raw = [line.strip() for line in self.cleaned_data["dates"].replace(",", "\n").splitlines()]
        dates, bad = [], []
        for text in filter(None, raw):
            for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
                try:
                    dates.append(datetime.datetime.strptime(text, fmt).date())
                    break
                except ValueError:
                    continue
            else:
                bad.append(text)
        if bad:
            raise forms.ValidationError(
                _("These are not dates: %(bad)s"), params={"bad": ", ".join(bad)}
            )
        if not dates:
            raise forms.ValidationError(_("Write at least one date."))
        return dates

    def clean(self):
        data = super().clean()
        year, dates = data.get("year"), data.get("dates")
        if year and dates:
            wrong = [d for d in dates if d.year != year]
            if wrong:
                self.add_error(
                    "dates",
                    _("These dates are not in %(year)s: %(dates)s")
                    % {"year": year, "dates": ", ".join(d.strftime("%d.%m.%Y") for d in wrong)},
                )
        return data


class AgendaItemQuickForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("From the title"))] + list(AgendaItem.Kind.choices),
        required=False,
    )
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, initial=Access.OPEN)


class AgendaItemForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=400)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices)
    public_title = forms.CharField(
        label=_("Public title of a closed item"), max_length=200, required=False
    )
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    timeframe_minutes = forms.IntegerField(
        label=_("Time frame (minutes)"), min_value=1, max_value=600, required=False
    )
    journal_number = forms.CharField(label=_("Journal number"), max_length=60, required=False)
    case_officer = forms.CharField(label=_("Case officer"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, section_types=(), locked_decision=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_types = list(section_types)
        for st in self.section_types:
            self.fields[f"section_{st.pk}"] = forms.CharField(
                label=st.name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8 if not st.is_decision else 4}),
                disabled=locked_decision and st.is_decision,
            )
        if locked_decision:  # approved minutes: the whole item is read-only here
            for field in self.fields.values():
                field.disabled = True

    def section_fields(self):
        return [self[f"section_{st.pk}"] for st in self.section_types]

    def head_fields(self):
        return [self[name] for name in ("number", "title", "kind", "access", "public_title")]

    def detail_fields(self):
        return [
            self[name]
            for name in ("presenter", "timeframe_minutes", "journal_number", "case_officer")
        ]

    def item_fields(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in self.cleaned_data
            if not k.startswith("section_") and k != "version"
        }

    def sections(self) -> dict[int, str]:
        return {st.pk: self.cleaned_data.get(f"section_{st.pk}", "") for st in self.section_types}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, initial=Access.OPEN)

    def clean_file(self):
        f = self.cleaned_data["file"]
        limit = settings.MAX_ATTACHMENT_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={"size": filesizeformat(f.size), "limit": filesizeformat(limit)},
            )
        return f


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("name"), required=False
    )
    new_person_name = forms.CharField(
        label=_("Or a new person's name"), max_length=200, required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=Attendance.Role.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_person_name") or "").strip():
            self.add_error("person", _("Choose a person or write a new person's name."))
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    new_text = forms.CharField(
        label=_("Corrected decision"), widget=forms.Textarea(attrs={"rows": 5})
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _decision_items(body):
    """Items of the body's held meetings, newest first: the decisions an appointment can cite."""
    return (
        AgendaItem.objects.filter(meeting__body=body)
        .exclude(meeting__status__in=["planlagt", "aflyst"])
        .select_related("meeting")
        .order_by("-meeting__starts_at", "position")
    )


class DecisionItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.meeting.starts_at:%d.%m.%Y}, pkt. {obj.number}: {obj.title}"[:120]


class AppointmentForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("name"), required=False
    )
    new_person_name = forms.CharField(
        label=_("Or a new person's name"), max_length=200, required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial="medlem")
    effective_date = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    replaces = forms.ModelChoiceField(
        label=_("Replaces"), queryset=Membership.objects.none(), required=False
    )
    decided_by_item = DecisionItemField(
        label=_("Decided in item"), queryset=AgendaItem.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = Membership.objects.filter(
            body=body, end_date__isnull=True
        ).select_related("person")
        self.fields["decided_by_item"].queryset = _decision_items(body)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_person_name") or "").strip():
            self.add_error("person", _("Choose a person or write a new person's name."))
        return data


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


class TermsOfReferenceForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    approved_by_item = DecisionItemField(
        label=_("Approved in item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by_item"].queryset = _decision_items(body)
