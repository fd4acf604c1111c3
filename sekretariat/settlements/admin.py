"""Administrators' view of the IV register. Courses change through the screens, which apply the
workflow; here they are read-only, and the patient key (a hash) is not shown at all."""

from django.contrib import admin

from .models import (
    Course,
    CourseDeviation,
    PopulationFigure,
    SettlementLine,
    SettlementRun,
    SettlementStatement,
    Visit,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class VisitInline(admin.TabularInline):
    model = Visit
    fields = ["visited_at", "duration_minutes", "setting", "given_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class CourseDeviationInline(admin.TabularInline):
    model = CourseDeviation
    fields = ["reported_at", "description", "message_sent"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "municipality", "treatment_type", "status", "referred_at"]
    list_filter = ["status", "treatment_type", "setting", "municipality", "region"]
    search_fields = ["reference"]
    date_hierarchy = "referred_at"
    exclude = ["patient_key"]
    inlines = [VisitInline, CourseDeviationInline]


class SettlementStatementInline(admin.TabularInline):
    model = SettlementStatement
    fields = ["municipality", "course_count", "amount_dkk"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "agreement_id", "course_count", "total_dkk", "created_at"]
    list_filter = ["year", "region", "agreement_id"]
    inlines = [SettlementStatementInline]


@admin.register(SettlementLine)
class SettlementLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "ordinal", "course_reference", "municipality", "step", "amount_dkk"]
    list_filter = ["run", "step", "treatment_type"]
    search_fields = ["course_reference"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "population"]
    list_filter = ["year"]
