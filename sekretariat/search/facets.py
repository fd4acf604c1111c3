"""The facets of a search: counts per body, organisation, year, kind, item kind and type over
the candidates a search read (each object counted once per distinct value)."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body

from .backends.base import Candidate
from .models import SearchDocument


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


def facets_of(rows: list[Candidate]) -> tuple[dict[str, list[FacetOption]], dict[int, str]]:
    """The facets over the candidates (each object counted once per distinct value), and the
    names of the bodies among them."""
    names_of = ("body", "year", "kind", "item_kind", "type")
    # (kind, object id) and the five values: an object's sections share them, mostly. Counted
    # a column at a time (a frequent word's page counts a thousand candidates).
    distinct = {(r[1], r[2], r[3], r[4], r[1], r[5], r[6]) for r in rows}
    columns = list(zip(*distinct, strict=True))[2:] if distinct else [()] * len(names_of)
    counts: dict[str, Counter] = {}
    for name, column in zip(names_of, columns, strict=True):
        found = Counter(column)
        found.pop(None, None)
        found.pop("", None)
        counts[name] = found
    # Plain rows: a frequent word's facets name most bodies, and model instances of them and
    # their organisations cost more than the counting.
    names = {
        pk: (name, organisation_id, organisation_name)
        for pk, name, organisation_id, organisation_name in Body.objects.filter(
            pk__in=counts["body"].keys()
        ).values_list("pk", "name", "organisation_id", "organisation__name")
    }
    organisations: dict[int, list] = {}
    for body_id, count in counts["body"].items():
        body = names.get(body_id)
        if body is not None:
            entry = organisations.setdefault(body[1], [body[2], 0])
            entry[1] += count
    kind_labels = dict(SearchDocument.Kind.choices)
    type_labels = dict(SearchDocument.DocType.choices)
    item_kind_labels = {
        "beslutning": _("decision"),
        "droeftelse": _("discussion"),
        "orientering": _("information"),
    }

    def options(name, label, key=lambda o: (-o.count, o.label)):
        return sorted(
            (FacetOption(str(v), str(label(v)), c) for v, c in counts[name].items()), key=key
        )

    facets = {
        "body": [
            FacetOption(str(pk), names[pk][0], c)
            for pk, c in sorted(counts["body"].items(), key=lambda kv: (-kv[1], str(kv[0])))
            if pk in names
        ],
        "organisation": sorted(
            (FacetOption(str(pk), name, c) for pk, (name, c) in organisations.items()),
            key=lambda o: (-o.count, o.label),
        ),
        "year": options("year", str, key=lambda o: o.value)[::-1],
        "kind": options("kind", lambda v: kind_labels.get(v, v)),
        "item_kind": options("item_kind", lambda v: item_kind_labels.get(v, v)),
        "type": options("type", lambda v: type_labels.get(v, v)),
    }
    return facets, {pk: body[0] for pk, body in names.items()}
