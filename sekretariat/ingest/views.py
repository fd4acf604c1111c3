"""Import screens: upload a meeting document, correct the parse beside the source, save.

The upload is read outside the request (`services.upload_parse`): the review page says that the
file is being read and reloads itself until the parse is there, or shows why it could not be
read. Only secretariat staff reach them, and they import only into bodies they may edit.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sekretariat.bodies.selectors import body_list_editable, request_viewer
from sekretariat.core.errors import ApplicationError

from . import forms, selectors, services
from .documents import parsed_from_dict


def _staff_viewer(request):
    viewer = request_viewer(request)
    if not viewer.is_staff_anywhere:
        raise PermissionDenied
    return viewer


def _open_upload(request, pk: int):
    upload = selectors.open_upload_get(pk=pk, user=request.user)
    if upload is None:
        raise Http404
    return upload


@login_required
def upload(request):
    _staff_viewer(request)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            record = services.upload_receive(
                data=f.read(),
                filename=f.name,
                max_bytes=settings.MAX_ATTACHMENT_BYTES,
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("ingest:review", pk=record.pk)
    services.uploads_redispatch_stuck()
    return render(
        request,
        "ingest/upload.html",
        {"form": form, "imports": selectors.imports_recent(user=request.user)},
    )


@login_required
def review(request, pk: int):
    viewer = _staff_viewer(request)
    upload = _open_upload(request, pk)
    if upload.is_being_read:
        services.uploads_redispatch_stuck()
        return render(request, "ingest/reading.html", {"upload": upload})
    if upload.is_unreadable:
        return render(request, "ingest/unreadable.html", {"upload": upload})
    original = parsed_from_dict(upload.parsed)
    bodies = body_list_editable(viewer)
    found = selectors.body_for_document(original.body, original.organisation)
    meeting_form = forms.MeetingReviewForm(
        request.POST or None,
        bodies=bodies,
        initial=forms.MeetingReviewForm.initial_from(
            original, found if found and viewer.can_edit(found.pk) else None
        ),
        prefix="meeting",
    )
    item_forms = forms.ItemReviewFormSet(
        request.POST or None,
        initial=[forms.ItemReviewForm.initial_from(i) for i in original.items],
        prefix="items",
    )
    if request.method == "POST" and meeting_form.is_valid() and item_forms.is_valid():
        body = meeting_form.cleaned_data["body"]
        if not viewer.can_edit(body.pk):
            raise PermissionDenied
        corrected = forms.corrected_document(original, meeting_form, item_forms)
        try:
            result = services.document_import(
                corrected,
                source_name=upload.file_name,
                content_sha256=upload.sha256,
                body=body,
                actor=request.user,
            )
        except ApplicationError as exc:
            meeting_form.add_error(None, exc.message)
        else:
            if result.is_note:
                messages.warning(request, result.message)
            else:
                messages.success(request, _("The meeting is imported."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("meetings:agenda", pk=result.meeting_id)
    return render(
        request,
        "ingest/review.html",
        {
            "upload": upload,
            "original": original,
            "form": meeting_form,
            "item_forms": item_forms,
            "body_found": found,
        },
    )


@login_required
@require_POST
def discard(request, pk: int):
    _staff_viewer(request)
    upload = _open_upload(request, pk)
    try:
        services.upload_discard(upload=upload, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The upload is discarded."))
    return redirect("ingest:upload")
