"""The secretariat's register: organisations, secretariats (with their staff), bodies and people.

Secretariat staff and administrators keep it here instead of in the Django admin; everyone else
gets 403 (anonymous users are sent to log in). Every write goes through `services`; a refused
write shows the service's message on the form and changes nothing. A body's seats are kept on
its members screen (`meetings:members`), its section template and terms of reference beside it.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from sekretariat.core.errors import ApplicationError

from . import forms, selectors, services
from .models import Body, Organisation, Person, Secretariat

PAGE_SIZE = 50


def register_required(view):
    """Logged in (else to the login page), and secretariat staff or an administrator (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.register_allowed(request.user, selectors.request_viewer(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _submit(request, form, write: Callable):
    """The service's result for a valid posted form; None when there is nothing to show but
    the form (not posted, invalid, or refused by the service: its message is on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _next_url(request) -> str:
    """Where a form opened from another screen returns to (a local address only)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _done(request, message: str, fallback, *, chosen: int | None = None):
    """Back to where the form was opened from (told which person was `chosen` there, so that
    the members screen can preselect a person just created), else to `fallback`."""
    messages.success(request, message)
    url = _next_url(request)
    if url and chosen is not None:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode({'person': chosen})}"
    return redirect(url or fallback)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))


def _query_string(request) -> str:
    """The list's search and filter, for the pager's links (which add their own page)."""
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


def _query(request) -> tuple[forms.SearchForm, str]:
    form = forms.SearchForm(request.GET or None)
    return form, (form.cleaned_data["q"].strip() if form.is_valid() else "")


def _form_page(request, template: str, **context):
    return render(request, template, {"next": _next_url(request), **context})


@register_required
def register(request):
    return render(request, "bodies/register.html", {"secretariats": selectors.secretariat_list()})


# --- organisations ----------------------------------------------------------------------------


@register_required
def organisation_list(request):
    search, query = _query(request)
    kind = request.GET.get("type", "")
    kind = kind if kind in Organisation.Kind.values else ""
    page = _page(request, selectors.organisation_list(query=query, kind=kind))
    return render(
        request,
        "bodies/organisation_list.html",
        {
            "search": search,
            "page": page,
            "query": _query_string(request),
            "kind": kind,
            "kinds": Organisation.Kind.choices,
        },
    )


@register_required
def organisation_create(request):
    form = forms.OrganisationForm(request.POST or None)
    created = _submit(
        request, form, lambda data: services.organisation_create(**data, actor=request.user)
    )
    if created:
        return _done(
            request,
            _("The organisation %(name)s is created.") % {"name": created.name},
            "bodies:organisation_list",
        )
    return _form_page(request, "bodies/organisation_form.html", form=form)


@register_required
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = forms.OrganisationForm(request.POST or None, instance=organisation)
    changed = _submit(
        request,
        form,
        lambda data: services.organisation_update(
            organisation=organisation, data=data, actor=request.user
        ),
    )
    if changed:
        return _done(
            request,
            _("The organisation %(name)s is saved.") % {"name": changed.name},
            "bodies:organisation_list",
        )
    return _form_page(
        request,
        "bodies/organisation_form.html",
        form=form,
        organisation=organisation,
        bodies=organisation.bodies.order_by("name"),
        hosted=organisation.hosted_secretariats.order_by("name"),
    )


# --- secretariats -----------------------------------------------------------------------------


def _editable_secretariat(request, pk: int) -> Secretariat:
    secretariat = get_object_or_404(Secretariat, pk=pk)
    if not selectors.secretariats_of(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return secretariat


@register_required
def secretariat_list(request):
    return render(
        request,
        "bodies/secretariat_list.html",
        {
            "secretariats": selectors.secretariat_list(),
            "mine": set(selectors.secretariats_of(request.user).values_list("pk", flat=True)),
        },
    )


@register_required
def secretariat_create(request):
    form = forms.SecretariatForm(request.POST or None, user=request.user)
    created = _submit(
        request, form, lambda data: services.secretariat_create(**data, actor=request.user)
    )
    if created:
        return _done(
            request,
            _("The secretariat %(name)s is created.") % {"name": created.name},
            "bodies:secretariat_list",
        )
    return _form_page(request, "bodies/secretariat_form.html", form=form)


@register_required
def secretariat_edit(request, pk: int):
    secretariat = _editable_secretariat(request, pk)
    form = forms.SecretariatForm(request.POST or None, instance=secretariat, user=request.user)
    changed = _submit(
        request,
        form,
        lambda data: services.secretariat_update(
            secretariat=secretariat, data=data, actor=request.user
        ),
    )
    if changed:
        return _done(
            request,
            _("The secretariat %(name)s is saved.") % {"name": changed.name},
            "bodies:secretariat_list",
        )
    return _form_page(
        request,
        "bodies/secretariat_form.html",
        form=form,
        secretariat=secretariat,
        bodies=secretariat.bodies.order_by("name"),
    )


# --- bodies -----------------------------------------------------------------------------------


def _editable_body(request, slug: str) -> Body:
    body = get_object_or_404(Body, slug=slug)
    if not selectors.request_viewer(request).can_edit(body.pk):
        raise PermissionDenied
    return body


@register_required
def body_list(request):
    search, query = _query(request)
    return render(
        request,
        "bodies/body_list.html",
        {
            "search": search,
            "bodies": selectors.register_body_list(query=query),
        },
    )


@register_required
def body_create(request):
    form = forms.BodyForm(request.POST or None, user=request.user)
    created = _submit(request, form, lambda data: services.body_create(**data, actor=request.user))
    if created:
        messages.success(
            request,
            _("The body %(name)s is created. Add its members below.") % {"name": created.name},
        )
        return redirect("meetings:members", slug=created.slug)
    return _form_page(request, "bodies/body_form.html", form=form)


@register_required
def body_edit(request, slug: str):
    body = _editable_body(request, slug)
    form = forms.BodyForm(request.POST or None, instance=body, user=request.user)
    changed = _submit(
        request,
        form,
        lambda data: services.body_update(body=body, data=data, actor=request.user),
    )
    if changed:
        return _done(
            request,
            _("The body %(name)s is saved.") % {"name": changed.name},
            "bodies:body_list",
        )
    return _form_page(
        request,
        "bodies/body_form.html",
        form=form,
        body=body,
        sections=body.section_types.order_by("position", "id"),
        terms=body.terms_of_reference.order_by("-version").first(),
    )


# --- people -----------------------------------------------------------------------------------


@register_required
def person_list(request):
    search, query = _query(request)
    return render(
        request,
        "bodies/person_list.html",
        {
            "search": search,
            "page": _page(request, selectors.person_list(query=query)),
            "query": _query_string(request),
        },
    )


@register_required
def person_create(request):
    form = forms.PersonForm(request.POST or None, user=request.user)
    created = _submit(
        request, form, lambda data: services.person_create(**data, actor=request.user)
    )
    if created:
        return _done(
            request,
            _("%(name)s is created.") % {"name": created.name},
            "bodies:person_list",
            chosen=created.pk,
        )
    return _form_page(request, "bodies/person_form.html", form=form)


@register_required
def person_edit(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = forms.PersonForm(request.POST or None, instance=person, user=request.user)
    changed = _submit(
        request,
        form,
        lambda data: services.person_update(person=person, data=data, actor=request.user),
    )
    if changed:
        return _done(
            request, _("%(name)s is saved.") % {"name": changed.name}, "bodies:person_list"
        )
    return _form_page(
        request,
        "bodies/person_form.html",
        form=form,
        person=person,
        seats=selectors.person_seats(person),
    )
