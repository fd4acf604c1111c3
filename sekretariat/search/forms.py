"""The search form: what a URL's parameters mean, tolerant of anything a user or bot sends."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import ORDERS, SearchFilters, clean_journal

MULTI = ("body", "organisation", "kind", "item_kind", "type")
FACET_TITLES = {
    "kind": _("Kind"),
    "type": _("Document type"),
    "body": _("Body"),
    "organisation": _("Organisation"),
    "year": _("Year"),
    "item_kind": _("Item kind"),
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("relevance", _("Best match")), ("newest", _("Newest first"))],
    )
    all_words = forms.BooleanField(label=_("Only results with every word"), required=False)
    date_from = forms.DateField(label=_("From date"), required=False)
    date_to = forms.DateField(label=_("To date"), required=False)
    journal = forms.CharField(label=_("Journal number (KLE) begins with"), required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"autofocus": True})
        self.fields["date_from"].widget.input_type = "date"
        self.fields["date_to"].widget.input_type = "date"

    def cleaned(self, name, default=None):
        """A field's clean value, or `default` when it is missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def query_text(self) -> str:
        return self.cleaned("q", "")

    @property
    def chosen_order(self) -> str:
        order = self.cleaned("order", "relevance")
        return order if order in ORDERS else "relevance"

    @property
    def only_all_words(self) -> bool:
        return bool(self.cleaned("all_words", False))

    @property
    def page_number(self) -> int:
        try:
            return max(1, int(self.data.get("page", 1)))
        except (TypeError, ValueError):
            return 1

    def _ints(self, name: str) -> tuple[int, ...]:
        values = []
        for raw in self.data.getlist(name) if hasattr(self.data, "getlist") else []:
            try:
                values.append(int(raw))
            except (TypeError, ValueError):
                continue
        return tuple(v for v in values if 0 <= v < 2**62)

    def _words(self, name: str) -> tuple[str, ...]:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        return tuple(v for v in values if isinstance(v, str) and v.isalnum() and len(v) <= 30)

    def filters(self) -> SearchFilters:
        years = self._ints("year")
        return SearchFilters(
            body_ids=self._ints("body"),
            organisation_ids=self._ints("organisation"),
            year_from=min(years) if years else None,
            year_to=max(years) if years else None,
            date_from=self.cleaned("date_from"),
            date_to=self.cleaned("date_to"),
            kinds=self._words("kind"),
            item_kinds=self._words("item_kind"),
            doc_types=self._words("type"),
            journal=clean_journal(self.cleaned("journal", "")),
        )


def facet_groups(data, facets) -> list[dict]:
    """The facets as the template shows them: each option links to the search with that value
    added to (or, when chosen, removed from) the filters."""
    groups = []
    for name, title in FACET_TITLES.items():
        options = facets.get(name) or []
        if not options:
            continue
        chosen = set(data.getlist(name)) if hasattr(data, "getlist") else set()
        rows = []
        for option in options[:12]:
            active = option.value in chosen
            rows.append(
                {
                    "label": option.label,
                    "count": option.count,
                    "active": active,
                    "url": "?" + _toggle(data, name, option.value, active),
                }
            )
        groups.append({"name": name, "title": title, "options": rows})
    return groups


def _toggle(data, name: str, value: str, active: bool) -> str:
    pairs = [
        (key, v)
        for key in data
        for v in data.getlist(key)
        if key != "page" and not (key == name and (v == value or name == "year"))
    ]
    if not active:
        pairs.append((name, value))
    return urlencode(pairs)


def page_url(data, page: int) -> str:
    pairs = [(key, v) for key in data for v in data.getlist(key) if key != "page"]
    return "?" + urlencode([*pairs, ("page", page)])


def parse_cli_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)
