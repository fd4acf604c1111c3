"""Forms of the secretariat's screens. They check shapes; the rules live in services."""

import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sekretariat.bodies.models import Membership, Person

from .models import Access, AgendaItem, Attendance
from .services import AttendanceMark, DecisionEntry, GuestEntry, decision_fingerprint


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


class ItemMoveForm(forms.Form):
    """'Flyt til nr.': the place (1 is first) to move an item to."""

    position = forms.IntegerField(label=_("Move to no."), min_value=1)


class AgendaItemForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=20,
        help_text=_(
            "The agenda numbers its items 1, 2, 3 … again when an item is added, moved or "
            "removed. Move an item on the agenda page."
        ),
    )
    # The number the form was loaded with: a number left alone is not written back (the
    # agenda may have been renumbered meanwhile).
    loaded_number = forms.CharField(required=False, widget=forms.HiddenInput)
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
        fields = {
            k: self.cleaned_data[k]
            for k in self.cleaned_data
            if not k.startswith("section_") and k not in ("version", "loaded_number")
        }
        if "loaded_number" in self.data and fields.get("number") == self.cleaned_data.get(
            "loaded_number"
        ):
            del fields["number"]
        return fields

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


# The choices of the attendance page; '' is "not recorded" (no record, or the record removed).
MEMBER_ATTENDANCE_CHOICES = [
    (Attendance.Role.PARTICIPANT, _("Present")),
    (Attendance.Role.ABSENT, _("Absent")),
    ("", _("Not recorded")),
]
OTHER_ATTENDANCE_CHOICES = [
    (Attendance.Role.PARTICIPANT, _("Present")),
    (Attendance.Role.GUEST, _("Guest")),
    (Attendance.Role.ABSENT, _("Absent")),
    ("", _("Remove")),
]
ROLE_LABELS = {
    Attendance.Role.PARTICIPANT: _("Present"),
    Attendance.Role.GUEST: _("Guest"),
    Attendance.Role.ABSENT: _("Absent"),
}


class AttendanceSheetForm(forms.Form):
    """Deltagelse: the whole attendance of a meeting in one form (`selectors.AttendanceSheet`).

    Per person `role_<person>` (a radio group whose 'not recorded' is checked by default, so a
    shown row always sends it) and `note_<person>`; then `GUEST_ROWS` empty guest rows
    (`guest_<n>_name`, `_job_title`, `_organisation`, `_note`). A person whose row was not on
    the page (added by someone else meanwhile) sends nothing and is left as it is."""

    GUEST_ROWS = 3

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet.rows:
            choices = list(
                MEMBER_ATTENDANCE_CHOICES if row.membership else OTHER_ATTENDANCE_CHOICES
            )
            if row.role and row.role not in dict(choices):  # a member recorded as a guest
                choices.insert(-1, (row.role, ROLE_LABELS[row.role]))
            self.fields[f"role_{row.person_id}"] = forms.ChoiceField(
                label=row.name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=row.role,
            )
            self.fields[f"note_{row.person_id}"] = forms.CharField(
                label=_("Note"), max_length=200, required=False, initial=row.note
            )
        for n in range(self.GUEST_ROWS):
            self.fields[f"guest_{n}_name"] = forms.CharField(
                label=_("Name"), max_length=200, required=False
            )
            self.fields[f"guest_{n}_job_title"] = forms.CharField(
                label=_("Job title"), max_length=200, required=False
            )
            self.fields[f"guest_{n}_organisation"] = forms.CharField(
                label=_("Organisation"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "off"}),
            )
            self.fields[f"guest_{n}_note"] = forms.CharField(
                label=_("Note"), max_length=200, required=False
            )

    def clean(self):
        data = super().clean()
        for n in range(self.GUEST_ROWS):
            prefix = f"guest_{n}_"
            given = any(data.get(prefix + k) for k in ("job_title", "organisation", "note"))
            if given and not (data.get(prefix + "name") or "").strip():
                self.add_error(prefix + "name", _("Write the guest's name, or empty the row."))
        return data

    def person_rows(self, rows):
        """(row, radio group, note field) for each person of `rows`."""
        return [(row, self[f"role_{row.person_id}"], self[f"note_{row.person_id}"]) for row in rows]

    def member_rows(self):
        return self.person_rows(self.sheet.members)

    def other_rows(self):
        return self.person_rows(self.sheet.others)

    def guest_rows(self):
        """(number from 1, the row's four fields) for each empty guest row."""
        names = ("name", "job_title", "organisation", "note")
        return [
            (n + 1, [self[f"guest_{n}_{name}"] for name in names]) for n in range(self.GUEST_ROWS)
        ]

    def marks(self) -> list[AttendanceMark]:
        return [
            AttendanceMark(
                person_id=row.person_id,
                role=self.cleaned_data[f"role_{row.person_id}"],
                note=self.cleaned_data[f"note_{row.person_id}"],
            )
            for row in self.sheet.rows
            if f"role_{row.person_id}" in self.data
        ]

    def guests(self) -> list[GuestEntry]:
        return [
            GuestEntry(
                name=self.cleaned_data[f"guest_{n}_name"],
                job_title=self.cleaned_data[f"guest_{n}_job_title"],
                organisation=self.cleaned_data[f"guest_{n}_organisation"],
                note=self.cleaned_data[f"guest_{n}_note"],
            )
            for n in range(self.GUEST_ROWS)
        ]


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MinutesForm(forms.Form):
    """Referat: the decisions of all items of one meeting, in one form.

    For each item (`selectors.MinutesRow`): `decision_<pk>`, the text, and `loaded_<pk>`, the
    fingerprint of the stored text the form was loaded with, by which the service sees whether
    someone else saved the decision in the meantime.
    """

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.conflicts: dict[int, str] = {}
        for row in self.rows:
            pk = row.item.pk
            self.fields[f"decision_{pk}"] = forms.CharField(
                label=_("Decision"),
                required=False,
                strip=False,
                # data-saved: the stored text, by which the draft script knows unsaved text.
                widget=forms.Textarea(
                    attrs={"rows": 4, "data-item": pk, "data-saved": row.decision}
                ),
            )
            self.fields[f"loaded_{pk}"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.initial.setdefault(f"decision_{pk}", row.decision)
            self.initial.setdefault(f"loaded_{pk}", decision_fingerprint(row.decision))

    def entries(self) -> list[DecisionEntry]:
        """The decisions sent (an item added after the form was loaded sends none)."""
        return [
            DecisionEntry(
                item_id=row.item.pk,
                text=self.cleaned_data[f"decision_{row.item.pk}"],
                loaded_fingerprint=self.cleaned_data[f"loaded_{row.item.pk}"],
            )
            for row in self.rows
            if f"decision_{row.item.pk}" in self.data
        ]

    def conflicts_show(self, conflicts) -> None:
        """Mark the items someone else saved: their text is shown beside the field, and the
        field's fingerprint becomes theirs, so that saving again is a deliberate overwrite."""
        for conflict in conflicts:
            self.conflicts[conflict.item_id] = conflict.current_text
            self.data[f"loaded_{conflict.item_id}"] = decision_fingerprint(conflict.current_text)
            self.add_error(
                f"decision_{conflict.item_id}",
                _("Someone else saved this decision after you opened the minutes."),
            )

    def item_rows(self):
        """(row, decision field, fingerprint field, the other's text or None) per item."""
        return [
            (
                row,
                self[f"decision_{row.item.pk}"],
                self[f"loaded_{row.item.pk}"],
                self.conflicts.get(row.item.pk),
            )
            for row in self.rows
        ]


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
    # The stored values stay as they are ('formand'); the choices read 'Formand', 'Næstformand'.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(value, capfirst(label)) for value, label in Membership.Role.choices],
        initial=Membership.Role.MEMBER,
    )
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
