from django.contrib import admin

from .models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["journal_number", "title", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["journal_number", "title"]
