"""Administrators' view of the IV register, read-only (``core.admin``'s bases): courses change
through the screens, which apply the workflow; access is granted on the access screen (recorded
in the audit log); settlements are run and population figures imported on their screens. The
patient key and the municipality's own note on a declined referral are not shown at all."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sekretariat.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Course,
    CourseAccess,
    CourseDeviation,
    PopulationFigure,
    SettlementLine,
    SettlementRun,
    SettlementStatement,
    Visit,
)


class VisitInline(ReadOnlyTabularInline):
    model = Visit
    fields = ["visited_at", "duration_minutes", "setting", "given_by"]


class CourseDeviationInline(ReadOnlyTabularInline):
    model = CourseDeviation
    fields = ["reported_at", "description", "message_sent"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "municipality", "treatment_type", "status", "referred_at"]
    list_filter = ["status", "treatment_type", "setting", "municipality", "region"]
    search_fields = ["reference"]
    date_hierarchy = "referred_at"
    exclude = ["patient_key", "decline_reason"]
    inlines = [VisitInline, CourseDeviationInline]
    edited_in_text = _("In the IV course register, step by step.")

    def edited_in_url(self, obj) -> str:
        return reverse("settlements:course_detail", kwargs={"pk": obj.pk})


class SettlementStatementInline(ReadOnlyTabularInline):
    model = SettlementStatement
    fields = ["municipality", "course_count", "amount_dkk"]


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "agreement_id", "course_count", "total_dkk", "created_at"]
    list_filter = ["year", "region", "agreement_id"]
    inlines = [SettlementStatementInline]
    edited_in_text = _("A settlement run is made on the settlement screen and never changed.")

    def edited_in_url(self, obj) -> str:
        return reverse("settlements:run_detail", kwargs={"pk": obj.pk})


@admin.register(SettlementLine)
class SettlementLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "ordinal", "course_reference", "municipality", "step", "amount_dkk"]
    list_filter = ["run", "step", "treatment_type"]
    search_fields = ["course_reference"]
    edited_in_text = _("A settlement run is made on the settlement screen and never changed.")


@admin.register(CourseAccess)
class CourseAccessAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "organisation", "created_at", "granted_by", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username"]
    edited_in_text = _("On the IV register's access screen, which records every grant.")

    def edited_in_url(self, obj) -> str:
        return reverse("settlements:access")


@admin.register(PopulationFigure)
class PopulationFigureAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "year", "population"]
    list_filter = ["year"]
    edited_in_text = _("Imported on the population screen.")

    def edited_in_url(self, obj) -> str:
        return reverse("settlements:population")
