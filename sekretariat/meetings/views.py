"""The secretariat's screens: meeting plan, agenda builder, item editor, attendance, minutes.

Views are thin: they read through selectors, write through services, and turn an
ApplicationError into a message beside the field at fault.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sekretariat.bodies.selectors import body_list_editable, request_viewer
from sekretariat.core.errors import ApplicationError

from . import forms, selectors, services
from .models import Attachment
from .permissions import editable_body, editable_item, editable_meeting


def _form_error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def dashboard(request):
    viewer = request_viewer(request)
    if not viewer.is_staff_anywhere:
        raise PermissionDenied
    bodies = list(body_list_editable(viewer))
    return render(
        request,
        "meetings/dashboard.html",
        {"bodies": bodies, "meetings": selectors.meetings_for_secretariat(bodies=bodies)},
    )


@login_required
def meeting_create(request, slug: str):
    body = editable_body(request, slug)
    form = forms.MeetingCreateForm(
        request.POST or None, initial={"location": body.default_location}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                body=body,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                is_virtual=data["is_virtual"],
                title=data["title"],
                with_standing_items=data["with_standing_items"],
                actor=request.user,
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The meeting is created."))
            return redirect("meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "body": body})


@login_required
def meeting_plan(request, slug: str):
    body = editable_body(request, slug)
    form = forms.MeetingPlanForm(request.POST or None, initial={"location": body.default_location})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.meeting_plan_create(
                body=body,
                dates=data["dates"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                actor=request.user,
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("%(count)d meetings are planned.") % {"count": len(created)}
            )
            return redirect("publishing:body_year", slug=body.slug, year=data["year"])
    return render(request, "meetings/meeting_plan_form.html", {"form": form, "body": body})


@login_required
def meeting_edit(request, pk: int):
    meeting = editable_meeting(request, pk)
    initial = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "is_virtual": meeting.is_virtual,
        "version": meeting.version,
    }
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting,
                expected_version=data["version"] or meeting.version,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                is_virtual=data["is_virtual"],
                title=data["title"],
                actor=request.user,
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:agenda", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "body": meeting.body, "meeting": meeting},
    )


@login_required
def agenda(request, pk: int):
    meeting = editable_meeting(request, pk)
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "items": selectors.agenda_for_meeting(meeting=meeting, viewer=request_viewer(request)),
            "add_form": forms.AgendaItemQuickForm(),
        },
    )


@login_required
@require_POST
def item_add(request, pk: int):
    meeting = editable_meeting(request, pk)
    form = forms.AgendaItemQuickForm(request.POST)
    if form.is_valid():
        try:
            item = services.agenda_item_add(
                meeting=meeting,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"] or None,
                access=form.cleaned_data["access"],
                actor=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Item %(number)s is added.") % {"number": item.number})
            return redirect("meetings:item_edit", pk=item.pk)
    else:
        messages.error(request, _("The item needs a title."))
    return redirect("meetings:agenda", pk=meeting.pk)


AGENDA_ACTIONS = {
    "standing": (services.agenda_standing_items_add, _("The standing items are added.")),
    "renumber": (services.agenda_renumber, _("The items are renumbered.")),
    "publish": (services.agenda_publish, _("The agenda is published.")),
    "hold": (services.meeting_mark_held, _("The meeting is marked as held.")),
    "approve": (services.minutes_approve, _("The minutes are approved and locked.")),
    "cancel": (services.meeting_cancel, _("The meeting is cancelled.")),
}


@login_required
@require_POST
def agenda_action(request, pk: int, action: str):
    meeting = editable_meeting(request, pk)
    if action not in AGENDA_ACTIONS:
        raise PermissionDenied
    service, done = AGENDA_ACTIONS[action]
    try:
        service(meeting=meeting, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    # Always back to the agenda: a posted address is never followed (an open redirect).
    return redirect("meetings:agenda", pk=meeting.pk)


@login_required
@require_POST
def item_move(request, pk: int, direction: str):
    item = editable_item(request, pk)
    try:
        services.agenda_item_move(
            item=item, offset=-1 if direction == "op" else 1, actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{_agenda_url(item.meeting_id)}#punkt-{item.pk}")


def _agenda_url(meeting_pk: int) -> str:
    from django.urls import reverse

    return reverse("meetings:agenda", kwargs={"pk": meeting_pk})


@login_required
@require_POST
def item_delete(request, pk: int):
    item = editable_item(request, pk)
    try:
        services.agenda_item_delete(item=item, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The item is removed."))
    return redirect("meetings:agenda", pk=item.meeting_id)


@login_required
def item_edit(request, pk: int):
    item = editable_item(request, pk)
    section_types = services.section_template_ensure(item.meeting.body)
    texts = {s.section_type_id: s.text for s in item.sections.all()}
    initial = {f: getattr(item, f) for f in services.ITEM_FIELDS} | {"version": item.version}
    initial |= {f"section_{st.pk}": texts.get(st.pk, "") for st in section_types}
    form = forms.AgendaItemForm(
        request.POST or None,
        initial=initial,
        section_types=section_types,
        locked_decision=item.meeting.minutes_locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                item=item,
                expected_version=form.cleaned_data["version"],
                fields=form.item_fields(),
                sections=form.sections(),
                actor=request.user,
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("Item %(number)s is saved.") % {"number": form.cleaned_data["number"]}
            )
            return redirect(f"{_agenda_url(item.meeting_id)}#punkt-{item.pk}")
    return render(
        request,
        "meetings/item_form.html",
        {
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "attachment_form": forms.AttachmentForm(),
            "attachments": item.attachments.all(),
        },
    )


@login_required
@require_POST
def attachment_add(request, pk: int):
    item = editable_item(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                item=item,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                access=form.cleaned_data["access"],
                actor=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The attachment is added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect("meetings:item_edit", pk=item.pk)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("item__meeting"), pk=pk)
    item = editable_item(request, attachment.item_id)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The attachment is removed."))
    return redirect("meetings:item_edit", pk=item.pk)


@login_required
def attendance(request, pk: int):
    meeting = editable_meeting(request, pk)
    form = forms.AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_set(
                meeting=meeting,
                person=data["person"],
                new_person_name=data["new_person_name"],
                role=data["role"],
                note=data["note"],
                actor=request.user,
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("meetings:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "attendance": selectors.attendance_for_meeting(meeting=meeting),
        },
    )


@login_required
def minutes(request, pk: int):
    meeting = editable_meeting(request, pk)
    items = selectors.agenda_for_meeting(meeting=meeting, viewer=request_viewer(request))
    rows = [
        (
            item,
            forms.DecisionForm(
                initial={"text": item.decision_text, "version": item.version}, prefix=f"i{item.pk}"
            ),
        )
        for item in selectors.with_decision_text(items)
    ]
    return render(request, "meetings/minutes.html", {"meeting": meeting, "rows": rows})


@login_required
@require_POST
def decision_save(request, pk: int):
    item = editable_item(request, pk)
    form = forms.DecisionForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            services.decision_record(
                item=item,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, f"{item.number}. {item.title}: {exc.message}")
        else:
            messages.success(
                request, _("The decision on item %(number)s is saved.") % {"number": item.number}
            )
    return redirect(f"{_minutes_url(item.meeting_id)}#punkt-{item.pk}")


def _minutes_url(meeting_pk: int) -> str:
    from django.urls import reverse

    return reverse("meetings:minutes", kwargs={"pk": meeting_pk})


@login_required
def correction(request, pk: int):
    item = editable_item(request, pk)
    current = selectors.with_decision_text([item])[0].decision_text
    form = forms.CorrectionForm(request.POST or None, initial={"new_text": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_correct(item=item, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect("publishing:item", meeting_pk=item.meeting_id, pk=item.pk)
    return render(
        request,
        "meetings/correction_form.html",
        {
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "corrections": item.corrections.all(),
        },
    )
