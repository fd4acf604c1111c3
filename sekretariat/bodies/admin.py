from django.contrib import admin

from .models import (
    Appointment,
    Body,
    Membership,
    Organisation,
    Person,
    Secretariat,
    TermsOfReference,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Secretariat)
class SecretariatAdmin(admin.ModelAdmin):
    list_display = ["name", "host_organisation"]
    filter_horizontal = ["staff"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "representing"]


class TermsInline(admin.StackedInline):
    model = TermsOfReference
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "secretariat", "meetings_per_year"]
    list_filter = ["kind", "secretariat"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, TermsInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "organisation", "user"]
    search_fields = ["name", "email"]
    list_filter = ["organisation"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "body", "role", "start_date", "end_date"]
    list_filter = ["body", "role"]
    autocomplete_fields = ["person", "representing"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["kind", "membership", "effective_date"]
    raw_id_fields = ["membership", "replaces"]
