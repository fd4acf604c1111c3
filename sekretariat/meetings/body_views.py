"""The secretariat's screens for a body's seats, section template and terms of reference
(the body's own details are edited in `bodies.views`, the register)."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sekretariat.bodies import services as body_services
from sekretariat.bodies.models import Membership
from sekretariat.bodies.selectors import body_members
from sekretariat.core.errors import ApplicationError

from . import forms, selectors
from .models import SectionType
from .permissions import editable_body
from .services import decisions
from .services.meetings import section_template_ensure
from .services.sections import section_type_save


@login_required
def members(request, slug: str):
    body = editable_body(request, slug)
    # A person just created from this screen comes back chosen (`?person=`).
    initial = {"person": request.GET["person"]} if request.GET.get("person", "").isdigit() else {}
    form = forms.AppointmentForm(request.POST or None, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # A chosen person and a new name together are refused, not guessed between.
            body_services.appointee_check(
                person=data["person"], new_person_name=data["new_person_name"]
            )
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
    seats = body_members(body=body)
    return render(
        request,
        "meetings/members.html",
        {
            "body": body,
            "current": seats.current,
            "upcoming": seats.upcoming,
            "former": seats.former,
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


class SectionTypeForm(django_forms.Form):
    """One section of the body's item template (the screen shows one per section and a blank
    one for a new section)."""

    section = django_forms.IntegerField(widget=django_forms.HiddenInput, required=False)
    name = django_forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    role = django_forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[(value, capfirst(label)) for value, label in SectionType.Role.choices],
        initial=SectionType.Role.OTHER,
    )
    position = django_forms.IntegerField(
        label=gettext_lazy("Position"), min_value=0, max_value=999, initial=0
    )


@login_required
def section_template(request, slug: str):
    """The body's section template (Resumé, Indstilling, ...): every section is changed and
    one added in one form, in one transaction: a refused change keeps none of them."""
    body = editable_body(request, slug)
    sections = section_template_ensure(body)
    # One form per section, and a last, blank one for a new section placed after the others.
    SectionFormSet = django_forms.formset_factory(SectionTypeForm, extra=0)
    formset = SectionFormSet(
        request.POST or None,
        initial=[
            *(
                {"section": s.pk, "name": s.name, "role": s.role, "position": s.position}
                for s in sections
            ),
            {
                "role": SectionType.Role.OTHER,
                "position": max((s.position for s in sections), default=-1) + 1,
            },
        ],
        prefix="afsnit",
    )
    if request.method == "POST" and formset.is_valid():
        by_pk = {s.pk: s for s in sections}
        saved = 0
        try:
            with transaction.atomic():
                for form in formset.forms:
                    current = form
                    data = form.cleaned_data
                    section = by_pk.get(data.get("section"))
                    if not form.has_changed() or (section is None and not data.get("name")):
                        continue
                    section_type_save(
                        data=data, section_type=section, body=body, actor=request.user
                    )
                    saved += 1
        except ApplicationError as exc:
            current.add_error(exc.field if exc.field in current.fields else None, exc.message)
        else:
            if saved:
                messages.success(request, _("The section template is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("section_template", slug=body.slug)
    return render(
        request,
        "meetings/section_template.html",
        {"body": body, "formset": formset, "sections": sections},
    )
