"""Administrators' page for cases. A case is opened by the first agenda item with its journal
number, so the admin adds none; its title, status and description change through
`services.case_update` (the case's search document follows the event)."""

from django.contrib import admin

from sekretariat.core.admin import ServiceAdmin

from . import services
from .models import Case


@admin.register(Case)
class CaseAdmin(ServiceAdmin):
    list_display = ["journal_number", "title", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["journal_number", "title"]
    fields = ["journal_number", *services.CASE_FIELDS]
    readonly_fields = ["journal_number"]

    def has_add_permission(self, request) -> bool:
        return False

    def update(self, request, obj, data):
        return services.case_update(case=obj, data=data, actor=request.user)
