"""The secretariat's screens for a body's seats and terms of reference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sekretariat.bodies import services as body_services
from sekretariat.bodies.models import Membership
from sekretariat.bodies.selectors import memberships_in_role_order
from sekretariat.core.errors import ApplicationError

from . import forms, selectors
from .permissions import editable_body
from .services import decisions


@login_required
def members(request, slug: str):
    body = editable_body(request, slug)
    form = forms.AppointmentForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decisions.appointment_make_decided(
                body=body,
                person=data["person"],
                new_person_name=data["new_person_name"],
                role=data["role"],
                effective_date=data["effective_date"],
                replaces=data["replaces"],
                decided_by_item=data["decided_by_item"],
                note=data["note"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The appointment is recorded."))
            return redirect("meetings:members", slug=body.slug)
    memberships = Membership.objects.filter(body=body).select_related("person", "representing")
    current = [m for m in memberships if m.end_date is None]
    return render(
        request,
        "meetings/members.html",
        {
            "body": body,
            "current": memberships_in_role_order(current),
            "former": sorted(
                (m for m in memberships if m.end_date), key=lambda m: m.end_date, reverse=True
            ),
            "form": form,
            "end_form": forms.MembershipEndForm(),
            "appointments": selectors.appointments_for_body(body=body),
        },
    )


@login_required
@require_POST
def membership_end(request, slug: str, pk: int):
    body = editable_body(request, slug)
    membership = get_object_or_404(Membership, pk=pk, body=body)
    form = forms.MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            body_services.membership_end(
                membership=membership, end_date=form.cleaned_data["end_date"], actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The membership is ended."))
    else:
        messages.error(request, _("Write the last day of the membership."))
    return redirect("meetings:members", slug=body.slug)


@login_required
def terms_of_reference(request, slug: str):
    body = editable_body(request, slug)
    current = body.terms_of_reference.order_by("-version").first()
    form = forms.TermsOfReferenceForm(
        request.POST or None, body=body, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            decisions.terms_of_reference_add_approved(
                body=body, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The new version of the terms of reference is saved."))
            return redirect("publishing:body", slug=body.slug)
    return render(
        request,
        "meetings/terms_form.html",
        {"body": body, "form": form, "versions": body.terms_of_reference.order_by("-version")},
    )
