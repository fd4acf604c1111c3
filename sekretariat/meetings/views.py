"""The secretariat's screens: meeting plan, agenda builder, item editor, attendance, minutes.

Views are thin: they read through selectors, write through services, and turn an
ApplicationError into a message beside the field at fault.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sekretariat.bodies.selectors import body_list_editable, request_viewer
from sekretariat.core.errors import ApplicationError

from . import forms, selectors, services
from .models import Attachment, Meeting
from .permissions import editable_body, editable_item, editable_meeting


def _form_error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def dashboard(request):
    viewer = request_viewer(request)
    if not viewer.is_staff_anywhere:
        raise PermissionDenied
    bodies = list(body_list_editable(viewer))
    upcoming, others = selectors.meetings_for_secretariat_split(bodies=bodies)
    return render(
        request,
        "meetings/dashboard.html",
        {"bodies": bodies, "upcoming": upcoming, "meetings": others},
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
    items = selectors.agenda_for_meeting(meeting=meeting, viewer=request_viewer(request))
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "items": items,
            "editable": not meeting.minutes_locked and meeting.status != Meeting.Status.CANCELLED,
            "places": range(1, len(items) + 1),
            "numbers_in_order": selectors.agenda_numbers_in_order(items),
            "add_form": forms.AgendaItemQuickForm(),
            "has_started": services.meeting_has_started(meeting),
            "start_text": services.meeting_start_text(meeting),
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


def _standing_done(added) -> tuple[str, str]:
    if not added:
        return messages.INFO, _("All the standing items are on the agenda already; none was added.")
    titles = ", ".join(f"'{item.title}'" for item in added)
    return messages.SUCCESS, ngettext(
        "The standing item %(titles)s is added.",
        "The standing items %(titles)s are added.",
        len(added),
    ) % {"titles": titles}


def _said(text):
    return lambda _result: (messages.SUCCESS, str(text))


# action -> (service, what to say about its result: (message level, text)).
AGENDA_ACTIONS = {
    "standing": (services.agenda_standing_items_add, _standing_done),
    "renumber": (services.agenda_renumber, _said(_("The items are renumbered."))),
    "publish": (services.agenda_publish, _said(_("The agenda is published."))),
    "hold": (services.meeting_mark_held, _said(_("The meeting is marked as held."))),
    "approve": (services.minutes_approve, _said(_("The minutes are approved and locked."))),
    "cancel": (services.meeting_cancel, _said(_("The meeting is cancelled."))),
}
# The steps that cannot be undone: a GET, or a POST without `confirm=yes`, shows what will
# happen (meetings/confirm.html) and acts on nothing.
CONFIRMED_ACTIONS = {"publish", "hold", "approve", "cancel"}


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _confirm_page(request, action: str, *, meeting, back: str, **context):
    context |= {"action": action, "meeting": meeting, "back": back}
    return render(request, "meetings/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_action(request, pk: int, action: str):
    meeting = editable_meeting(request, pk)
    if action not in AGENDA_ACTIONS:
        raise PermissionDenied
    back = _agenda_url(meeting.pk)
    if action in CONFIRMED_ACTIONS and not _confirmed(request):
        context = {"summary": selectors.agenda_summary(meeting=meeting)}
        if action == "hold":
            context |= {
                "attendance": selectors.attendance_counts(meeting=meeting),
                "has_started": services.meeting_has_started(meeting),
                "start_text": services.meeting_start_text(meeting),
            }
        return _confirm_page(request, action, meeting=meeting, back=back, **context)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    service, done = AGENDA_ACTIONS[action]
    try:
        result = service(meeting=meeting, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.add_message(request, *done(result))
    # Always back to the agenda: a posted address is never followed (an open redirect).
    return redirect(back)


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


@login_required
@require_POST
def item_move_to(request, pk: int):
    """'Flyt til nr.': one item to a chosen place in one step (the drag and drop of
    meetings/agenda-order.js posts this form too)."""
    item = editable_item(request, pk)
    form = forms.ItemMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the place to move the item to."))
    else:
        try:
            moved = services.agenda_item_move_to(
                item=item, position=form.cleaned_data["position"], actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if moved:
                item.refresh_from_db(fields=["number"])
                messages.success(
                    request,
                    _("'%(title)s' is now item %(number)s.")
                    % {"title": item.title, "number": item.number},
                )
    return redirect(f"{_agenda_url(item.meeting_id)}#punkt-{item.pk}")


def _agenda_url(meeting_pk: int) -> str:
    return reverse("meetings:agenda", kwargs={"pk": meeting_pk})


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request, pk: int):
    item = editable_item(request, pk)
    if not _confirmed(request):
        back = f"{_agenda_url(item.meeting_id)}#punkt-{item.pk}"
        return _confirm_page(
            request,
            "item_delete",
            meeting=item.meeting,
            back=back,
            item=item,
            attachment_count=item.attachments.count(),
        )
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
    initial = {f: getattr(item, f) for f in services.ITEM_FIELDS}
    initial |= {"version": item.version, "loaded_number": item.number}
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
            # Its own ids: the item form has fields of the same names (title, access).
            "attachment_form": forms.AttachmentForm(auto_id="bilag_%s"),
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
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("item__meeting"), pk=pk)
    item = editable_item(request, attachment.item_id)
    if not _confirmed(request):
        back = reverse("meetings:item_edit", kwargs={"pk": item.pk})
        return _confirm_page(
            request,
            "attachment_delete",
            meeting=item.meeting,
            back=back,
            item=item,
            attachment=attachment,
        )
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The attachment is removed."))
    return redirect("meetings:item_edit", pk=item.pk)


@login_required
def attendance(request, pk: int):
    """Deltagelse: the body's members on the meeting's day as a checklist, the others recorded,
    and rows for new guests, all saved with one press."""
    meeting = editable_meeting(request, pk)
    sheet = selectors.attendance_sheet(meeting=meeting)
    form = forms.AttendanceSheetForm(request.POST or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.attendance_save(
                meeting=meeting, marks=form.marks(), guests=form.guests(), actor=request.user
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if saved.changed:
                counts = selectors.attendance_counts(meeting=meeting)
                messages.success(
                    request,
                    _(
                        "The attendance is saved. Present: %(present)d, absent: %(absent)d, "
                        "guests: %(guests)d."
                    )
                    % {
                        "present": counts.present,
                        "absent": counts.absent,
                        "guests": counts.guests,
                    },
                )
            else:
                messages.info(request, _("The attendance is saved; nothing was changed."))
            return redirect("meetings:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "sheet": sheet,
            "editable": not meeting.minutes_locked and meeting.status != Meeting.Status.CANCELLED,
            "organisation_names": selectors.organisation_names(),
        },
    )


@login_required
def minutes(request, pk: int):
    """The minutes of the whole meeting in one form; one 'Gem referat' saves every decision."""
    meeting = editable_meeting(request, pk)
    rows = selectors.minutes_rows(meeting=meeting, viewer=request_viewer(request))
    data = request.POST.copy() if request.method == "POST" else None
    form = forms.MinutesForm(data, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.minutes_save(
                meeting=meeting, entries=form.entries(), actor=request.user
            )
        except services.MinutesConflictError as exc:
            form.conflicts_show(exc.conflicts)
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if changed:
                messages.success(
                    request,
                    ngettext(
                        "The minutes are saved: %(count)d decision is changed.",
                        "The minutes are saved: %(count)d decisions are changed.",
                        len(changed),
                    )
                    % {"count": len(changed)},
                )
            else:
                messages.info(request, _("The minutes are saved; no decision was changed."))
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            # A refused save shows the form again whatever the state: the typed text stays.
            "editable": form.is_bound
            or meeting.status in (Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD),
        },
    )


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
