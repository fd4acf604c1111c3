"""The admin's two kinds of pages, and the audit log's.

No admin page writes a model itself (docs/architecture.md, "Writes: one owner per model"): a
write that bypassed the services would be missing from the audit trail and the search index.
So every `ModelAdmin` of our apps is one of these:

- `ReadOnlyAdmin`: the admin shows the rows and says where they are edited (the secretariat's
  screens, which apply the rules: locking, numbering, corrections); it adds, changes and deletes
  nothing, nor do its inlines (`ReadOnlyTabularInline`, `ReadOnlyStackedInline`).
- `ServiceAdmin`: for what only the admin can create today (organisations, secretariats, bodies,
  people, section types). Its `create` and `update` call the owning app's service with the
  form's cleaned data, so the write is validated, runs in one transaction and records its event;
  a refusal (`ApplicationError`) shows the form again with the service's message, and nothing of
  the attempt is saved. It deletes nothing: no service deletes these rows.

`tests/test_admin_writes.py` and `tests/test_architecture.py` check that it stays so.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError
from .models import AuditEvent

EDITED_IN = "edited_in"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows the rows; adds, changes and deletes nothing. The change page's first line says
    where the row is edited (`edited_in_text`, linked to `edited_in_url(obj)` when there is
    one page for it)."""

    edited_in_text = _("In the secretariat's own screens, which apply its rules.")

    def edited_in_url(self, obj) -> str:
        return ""

    @admin.display(description=_("Where it is edited"))
    def edited_in(self, obj) -> str:
        url = self.edited_in_url(obj) if obj is not None and obj.pk else ""
        if url:
            return format_html('<a href="{}">{}</a>', url, self.edited_in_text)
        return self.edited_in_text

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [EDITED_IN, *(f for f in fields if f != EDITED_IN)]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [EDITED_IN, *(f for f in fields if f != EDITED_IN)]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied

    def save_related(self, request, form, formsets, change):
        raise PermissionDenied


class _ReadOnlyInline:
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyTabularInline(_ReadOnlyInline, admin.TabularInline):
    """Rows of a related model shown on its parent's page, changed elsewhere."""


class ReadOnlyStackedInline(_ReadOnlyInline, admin.StackedInline):
    """Rows of a related model shown on its parent's page, changed elsewhere."""


class ServiceAdmin(admin.ModelAdmin):
    """Adds and changes through the owning app's services; deletes nothing.

    A subclass names its form's `fields` (the service's parameters) and implements `create`
    (or denies `has_add_permission`) and `update`. Inlines must be read-only: a change to a
    related row would not go through a service."""

    def create(self, request, data: dict) -> models.Model:
        """Create the object through its service from the form's cleaned `data`."""
        raise NotImplementedError

    def update(self, request, obj: models.Model, data: dict) -> models.Model:
        """Change `obj` (as stored) through its service to the form's cleaned `data`."""
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.update(request, stored, data)
        else:
            saved = self.create(request, data)
        # The admin goes on with `obj` (its message, its log entry, the next page): make it
        # the row the service wrote.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The form's many-to-many values went to the service with the rest of its data; the
        # inlines are read-only, so a formset with changes is a page that bypassed them.
        for formset in formsets:
            if formset.has_changed():
                raise ApplicationError(
                    _("The rows below are changed in the secretariat's screens.")
                )
            # What the admin's change message reads from a saved formset: nothing.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            if request.method != "POST":
                raise
            # The attempt's transaction rolled back: nothing of it is saved. Show the form
            # again, with what was typed and the service's message.
            request.sekretariat_refusal = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "sekretariat_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                field = refusal.field if refusal.field in self.fields else None
                self.add_error(field, refusal.message)
                return cleaned

        return RefusedForm


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    edited_in_text = _(
        "Nowhere: the audit log is written by the services when something changes, and is "
        "never changed."
    )
