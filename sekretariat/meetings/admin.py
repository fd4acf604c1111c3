"""Administrators' view of meetings. Edits of agendas and minutes go through the secretariat's
screens, which apply the rules (locking, numbering); the admin shows them read-mostly."""

from django.contrib import admin

from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    ItemSection,
    Meeting,
    MinutesCorrection,
    SectionType,
)


@admin.register(SectionType)
class SectionTypeAdmin(admin.ModelAdmin):
    list_display = ["body", "name", "role", "position"]
    list_filter = ["body", "role"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "number", "title", "kind", "access"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "starts_at", "status", "location"]
    list_filter = ["status", "body"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "status",
        "agenda_published_at",
        "minutes_approved_at",
        "minutes_approved_by",
    ]
    inlines = [AgendaItemInline]


class SectionInline(admin.StackedInline):
    model = ItemSection
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["title", "access", "sha256", "size_bytes"]
    readonly_fields = ["sha256", "size_bytes"]
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "title", "kind", "access"]
    list_filter = ["access", "kind", "meeting__body"]
    search_fields = ["title", "journal_number"]
    raw_id_fields = ["meeting", "case"]
    inlines = [SectionInline, AttachmentInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "role"]
    list_filter = ["role"]


@admin.register(MinutesCorrection)
class MinutesCorrectionAdmin(admin.ModelAdmin):
    list_display = ["item", "corrected_by", "created_at"]
    readonly_fields = [
        "item",
        "section_type",
        "previous_text",
        "new_text",
        "reason",
        "corrected_by",
    ]
