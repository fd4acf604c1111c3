"""What the bodies' services share: taking a form's values and checking them against the model."""

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from sekretariat.core.errors import ApplicationError

# Text fields whose value is stripped of surrounding space before it is checked and stored.
_STRIPPED = ("name", "code", "slug", "job_title", "email", "default_location")


def _cleaned(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The values of `fields` that `data` holds, text stripped."""
    return {
        name: (data[name] or "").strip() if name in _STRIPPED else data[name]
        for name in fields
        if name in data
    }


def _values_apply(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set `values` on `instance`; the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        new = value.pk if isinstance(value, models.Model) else value
        if field.value_from_object(instance) != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _choice_check(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ApplicationError(_("Choose one of the listed kinds."), field=field)


def _lengths_check(instance: models.Model, fields: tuple[str, ...]) -> None:
    """Refuse text longer than its column holds (SQLite would keep it, PostgreSQL would fail)."""
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ApplicationError(
                _("%(field)s may be at most %(limit)s characters long (it has %(length)s).")
                % {
                    "field": str(field.verbose_name).capitalize(),
                    "limit": limit,
                    "length": len(value),
                },
                field=name,
            )
