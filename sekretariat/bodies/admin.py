"""Administrators' pages for organisations, secretariats, bodies and people.

The secretariat keeps these in its own register (`bodies.views`, under /sekretariat/); the
admin adds and changes them too, through the same `services` (`ServiceAdmin`: validated, one
transaction, an event for the audit trail and the search index). Seats and terms of reference
are read-only here: the secretariat's screens make them (appointments, new versions), with the
decision that made them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sekretariat.core.admin import (
    ReadOnlyAdmin,
    ReadOnlyStackedInline,
    ReadOnlyTabularInline,
    ServiceAdmin,
)

from . import services
from .models import (
    Appointment,
    Body,
    Membership,
    Organisation,
    Person,
    Secretariat,
    TermsOfReference,
)

MEMBERS_EDITED_IN = _("On the body's members page in the secretariat's screens (appointments).")


def _members_url(body: Body) -> str:
    return reverse("meetings:members", kwargs={"slug": body.slug})


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin):
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    fields = list(services.ORGANISATION_FIELDS)

    def create(self, request, data):
        return services.organisation_create(**data, actor=request.user)

    def update(self, request, obj, data):
        return services.organisation_update(organisation=obj, data=data, actor=request.user)


@admin.register(Secretariat)
class SecretariatAdmin(ServiceAdmin):
    list_display = ["name", "host_organisation"]
    filter_horizontal = ["staff"]
    fields = [*services.SECRETARIAT_FIELDS, "staff"]

    def create(self, request, data):
        return services.secretariat_create(**data, actor=request.user)

    def update(self, request, obj, data):
        return services.secretariat_update(secretariat=obj, data=data, actor=request.user)


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fields = ["person", "role", "representing", "start_date", "end_date"]
    show_change_link = True


class TermsInline(ReadOnlyStackedInline):
    model = TermsOfReference
    fields = ["version", "effective_from", "text"]


@admin.register(Body)
class BodyAdmin(ServiceAdmin):
    list_display = ["name", "kind", "organisation", "secretariat", "meetings_per_year"]
    list_filter = ["kind", "secretariat"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = list(services.BODY_FIELDS)
    inlines = [MembershipInline, TermsInline]

    def create(self, request, data):
        return services.body_create(**data, actor=request.user)

    def update(self, request, obj, data):
        return services.body_update(body=obj, data=data, actor=request.user)


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ["name", "job_title", "organisation", "user"]
    search_fields = ["name", "email"]
    list_filter = ["organisation"]
    fields = list(services.PERSON_FIELDS)

    def create(self, request, data):
        return services.person_create(**data, actor=request.user)

    def update(self, request, obj, data):
        return services.person_update(person=obj, data=data, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "body", "role", "start_date", "end_date"]
    list_filter = ["body", "role"]
    edited_in_text = MEMBERS_EDITED_IN

    def edited_in_url(self, obj):
        return _members_url(obj.body)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "membership", "effective_date"]
    list_select_related = ["membership__person", "membership__body"]
    edited_in_text = MEMBERS_EDITED_IN

    def edited_in_url(self, obj):
        return _members_url(obj.membership.body)
