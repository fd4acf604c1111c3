"""Administrators' view of meetings. Meetings, agendas, items, sections, attachments,
attendance and minutes corrections are read-only here: the secretariat's screens apply the rules
(locking, numbering, corrections of approved minutes) and record the events that the audit
trail and the search index follow. Each change page links to the screen that edits it.

A body's section template has no screen yet, so the admin adds and changes section types,
through `services.sections.section_type_save`."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sekretariat.core.admin import (
    ReadOnlyAdmin,
    ReadOnlyStackedInline,
    ReadOnlyTabularInline,
    ServiceAdmin,
)

from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    ItemSection,
    Meeting,
    MinutesCorrection,
    SectionType,
)
from .services.sections import SECTION_TYPE_FIELDS, section_type_save


@admin.register(SectionType)
class SectionTypeAdmin(ServiceAdmin):
    list_display = ["body", "name", "role", "position"]
    list_filter = ["body", "role"]
    fields = ["body", *SECTION_TYPE_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        # A section type stays in its body's template (the items' sections point at it).
        return ["body"] if obj is not None else []

    def create(self, request, data):
        body = data.pop("body")
        return section_type_save(body=body, data=data, actor=request.user)

    def update(self, request, obj, data):
        return section_type_save(section_type=obj, data=data, actor=request.user)


class AgendaItemInline(ReadOnlyTabularInline):
    model = AgendaItem
    fields = ["position", "number", "title", "kind", "access"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["body", "starts_at", "status", "location"]
    list_filter = ["status", "body"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    edited_in_text = _(
        "On the meeting's agenda page in the secretariat's screens (details, publishing, minutes)."
    )

    def edited_in_url(self, obj):
        return reverse("meetings:agenda", kwargs={"pk": obj.pk})


class SectionInline(ReadOnlyStackedInline):
    model = ItemSection
    fields = ["section_type", "text"]


class AttachmentInline(ReadOnlyTabularInline):
    model = Attachment
    fields = ["title", "access", "sha256", "size_bytes"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "number", "title", "kind", "access"]
    list_filter = ["access", "kind", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "journal_number"]
    inlines = [SectionInline, AttachmentInline]
    edited_in_text = _(
        "On the item's page in the secretariat's screens (text, sections, attachments; "
        "a correction once the minutes are approved)."
    )

    def edited_in_url(self, obj):
        return reverse("meetings:item_edit", kwargs={"pk": obj.pk})


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "person", "role"]
    list_filter = ["role"]
    list_select_related = ["meeting__body", "person"]
    edited_in_text = _("On the meeting's attendance page in the secretariat's screens.")

    def edited_in_url(self, obj):
        return reverse("meetings:attendance", kwargs={"pk": obj.meeting_id})


@admin.register(MinutesCorrection)
class MinutesCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["item", "corrected_by", "created_at"]
    edited_in_text = _(
        "A correction is recorded on the item's correction page in the secretariat's screens, "
        "and is never changed."
    )

    def edited_in_url(self, obj):
        return reverse("meetings:correction", kwargs={"pk": obj.item_id})
