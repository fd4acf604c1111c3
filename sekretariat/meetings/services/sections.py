"""A body's item template: adding and changing its section types (Resumé, Indstilling, ...).

The secretariat has no screen for the template yet; the admin calls `section_type_save`.
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import ItemSection, SectionType
from .agenda import items_changed_record
from .meetings import section_template_ensure

SECTION_TYPE_FIELDS = ("name", "role", "position")


def _check(section_type: SectionType, *, was_decision: bool) -> None:
    if not section_type.name:
        raise ApplicationError(_("A section needs a name."), field="name")
    if section_type.role not in SectionType.Role.values:
        raise ApplicationError(_("Choose one of the listed roles."), field="role")
    if was_decision and not section_type.is_decision:
        raise ApplicationError(
            _("The decision section keeps its role: the decisions of the minutes are in it."),
            field="role",
        )
    others = SectionType.objects.filter(body_id=section_type.body_id).exclude(pk=section_type.pk)
    if others.filter(name=section_type.name).exists():
        raise ApplicationError(
            _("The body's template already has a section named %(name)s.")
            % {"name": section_type.name},
            field="name",
        )
    if section_type.is_decision and others.filter(role=SectionType.Role.DECISION).exists():
        raise ApplicationError(
            _("The body's template already has a decision section."), field="role"
        )


@transaction.atomic
def section_type_save(
    *,
    data: Mapping[str, Any],
    section_type: SectionType | None = None,
    body: Body | None = None,
    actor=None,
) -> SectionType:
    """Add a section type to `body`'s template (no `section_type`) or change one (the fields of
    `SECTION_TYPE_FIELDS` that `data` holds; its body stays).

    A body's template starts as the four usual sections (`section_template_ensure`), so that it
    always has its decision section, which keeps its role. A new name or role changes the
    documents of the items that have text in the section, so those items are recorded as
    changed too."""
    values = {name: data[name] for name in SECTION_TYPE_FIELDS if name in data}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    if section_type is None:
        if body is None:
            raise ApplicationError(_("Choose the body whose template it belongs to."), field="body")
        section_template_ensure(body)
        section_type = SectionType(body=body, **values)
        _check(section_type, was_decision=False)
        section_type.save()
        changed = list(values)
        action = "section_type_create"
    else:
        section_type = SectionType.objects.select_for_update().get(pk=section_type.pk)
        if body is not None and body.pk != section_type.body_id:
            raise ApplicationError(_("A section type stays in its body's template."), field="body")
        was_decision = section_type.is_decision
        changed = [name for name, value in values.items() if getattr(section_type, name) != value]
        if not changed:
            return section_type
        for name in changed:
            setattr(section_type, name, values[name])
        _check(section_type, was_decision=was_decision)
        section_type.save(update_fields=[*changed, "updated_at"])
        action = "section_type_update"
        if {"name", "role"} & set(changed):
            _items_of_section_changed(section_type, actor=actor, action=action)
    event_record(
        events.BodyChanged(body_id=section_type.body_id),
        actor=actor,
        action=action,
        section_type=section_type.pk,
        changed=changed,
    )
    return section_type


def _items_of_section_changed(section_type: SectionType, *, actor, action: str) -> None:
    by_meeting: dict[int, list[int]] = defaultdict(list)
    rows = ItemSection.objects.filter(section_type=section_type).values_list(
        "item__meeting_id", "item_id"
    )
    for meeting_id, item_id in rows:
        by_meeting[meeting_id].append(item_id)
    for meeting_id, item_ids in sorted(by_meeting.items()):
        items_changed_record(
            meeting_id, item_ids, actor=actor, action=action, section_type=section_type.pk
        )
