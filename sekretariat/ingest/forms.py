"""Forms of the import screens: the upload, and the parsed meeting to correct before saving."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sekretariat.bodies.models import Body

from .parsers import ParsedDocument, ParsedItem, ParsedMeeting, Sections

KIND_CHOICES = [
    ("", _("From the title")),
    ("decision", _("decision")),
    ("discussion", _("discussion")),
    ("information", _("information")),
]
DOCUMENT_TYPES = [("agenda", _("Agenda")), ("minutes", _("Minutes"))]
SECTION_FIELDS = ("resume", "recommendation", "presentation", "decision")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Agenda or minutes"),
        help_text=_("PDF, DOCX, HTML, text, Markdown or an export from eDoc, SBSYS or Acadre."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        limit = settings.MAX_ATTACHMENT_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={"size": filesizeformat(f.size), "limit": filesizeformat(limit)},
            )
        if f.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return f


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeetingReviewForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    document_type = forms.ChoiceField(label=_("Document"), choices=DOCUMENT_TYPES)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    location = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data

    @staticmethod
    def initial_from(doc: ParsedDocument, body: Body | None) -> dict:
        m = doc.meeting
        return {
            "body": body,
            "document_type": doc.document_type if doc.document_type == "minutes" else "agenda",
            "date": m.date,
            "start_time": m.start_time,
            "end_time": m.end_time,
            "location": m.location,
        }


class ItemReviewForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=400)
    closed = forms.BooleanField(label=_("Closed item"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    resume = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    presentation = forms.CharField(
        label=_("Presentation"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decision = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = forms.CharField(
        label=_("Attachments listed (one title per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # What the form does not show is carried through unchanged.
    journal_number = forms.CharField(required=False, widget=forms.HiddenInput)
    case_officer = forms.CharField(required=False, widget=forms.HiddenInput)
    timeframe_minutes = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def head_fields(self):
        return [self[n] for n in ("number", "title", "closed", "kind", "presenter")]

    def section_fields(self):
        return [self[n] for n in (*SECTION_FIELDS, "attachments")]

    @staticmethod
    def initial_from(item: ParsedItem) -> dict:
        s = item.sections
        return {
            "number": item.number,
            "title": item.title,
            "closed": item.closed,
            "kind": item.kind or "",
            "presenter": item.presenter,
            "resume": s.resume,
            "recommendation": s.recommendation,
            "presentation": s.presentation,
            "decision": s.decision,
            "attachments": "\n".join(s.attachments),
            "journal_number": item.journal_number,
            "case_officer": item.case_officer,
            "timeframe_minutes": item.timeframe_minutes,
        }

    def parsed_item(self) -> ParsedItem:
        d = self.cleaned_data
        return ParsedItem(
            title=d["title"].strip(),
            number=d["number"].strip() or None,
            closed=d["closed"],
            journal_number=d["journal_number"] or None,
            case_officer=d["case_officer"] or None,
            presenter=d["presenter"].strip() or None,
            timeframe_minutes=d["timeframe_minutes"],
            kind=d["kind"] or None,
            sections=Sections(
                resume=d["resume"].strip() or None,
                recommendation=d["recommendation"].strip() or None,
                presentation=d["presentation"].strip() or None,
                decision=d["decision"].strip() or None,
                attachments=[t.strip() for t in d["attachments"].splitlines() if t.strip()],
            ),
        )


ItemReviewFormSet = forms.formset_factory(ItemReviewForm, extra=1, can_delete=True)


def corrected_document(
    original: ParsedDocument, meeting_form: MeetingReviewForm, item_forms
) -> ParsedDocument:
    """The parse as the reviewer corrected it; people and warnings are kept from the original."""
    d = meeting_form.cleaned_data
    body: Body = d["body"]

    def hhmm(value: datetime.time | None) -> str | None:
        return value.strftime("%H:%M") if value else None

    items = [
        f.parsed_item()
        for f in item_forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("title")
    ]
    return ParsedDocument(
        source=original.source,
        document_type=d["document_type"],
        body=body.name,
        organisation=body.organisation.name,
        meeting=ParsedMeeting(
            date=d["date"].isoformat(),
            start_time=hhmm(d["start_time"]),
            end_time=hhmm(d["end_time"]),
            location=d["location"].strip() or None,
            participants=original.meeting.participants,
            absent=original.meeting.absent,
            guests=original.meeting.guests,
        ),
        items=items,
        warnings=original.warnings,
    )
