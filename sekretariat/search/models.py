"""The search index: one `SearchDocument` per searchable piece, plus the catch-up position.

A document is one piece of text that a hit can point to: one section of an agenda item (so a hit
can say "in the decision"), an attachment, a meeting, a case, a body or a person. Every column a
filter or the access rule needs is a plain column here, so both backends filter in SQL, in the
same statement as the text match. The analysed terms are stored too: SQLite's FTS5 table reads
them as its external content, PostgreSQL computes its tsvector column from them (see the
migrations and `backends/`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """Søgedokument: one indexed piece of text and everything needed to filter and show it."""

    class Kind(models.TextChoices):
        ITEM = "punkt", _("agenda item")
        ATTACHMENT = "bilag", _("attachment")
        MEETING = "moede", _("meeting")
        CASE = "sag", _("case")
        BODY = "forum", _("body")
        PERSON = "person", _("person")

    class DocType(models.TextChoices):
        AGENDA = "dagsorden", _("agenda")
        MINUTES = "referat", _("minutes")
        ATTACHMENT = "bilag", _("attachment")
        CASE = "sag", _("case")
        BODY = "forum", _("body")
        PERSON = "person", _("person")
        MEETING = "moede", _("meeting")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    # For items: the section's role ('resume', 'indstilling', 'sagsfremstilling', 'beslutning',
    # 'andet') or '' for an item without text; empty for every other kind.
    section = models.CharField(_("section"), max_length=20, blank=True)
    section_name = models.CharField(_("section name"), max_length=100, blank=True)
    item_id = models.BigIntegerField(_("item"), null=True, blank=True)
    meeting_id = models.BigIntegerField(_("meeting"), null=True, blank=True)
    body_id = models.BigIntegerField(_("body"), null=True, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    item_kind = models.CharField(_("item kind"), max_length=20, blank=True)
    doc_type = models.CharField(_("document type"), max_length=10, choices=DocType.choices)
    journal_number = models.CharField(_("journal number"), max_length=60, blank=True)
    access = models.CharField(_("access"), max_length=10, default="aaben")
    # What the public may see, computed by the indexer from the meeting's status and the
    # item's and attachment's access; decisions only once the minutes are approved.
    visible_public = models.BooleanField(_("public"), default=False)
    boost = models.FloatField(_("boost"), default=1.0)
    title = models.CharField(_("title"), max_length=400)
    subtitle = models.CharField(_("subtitle"), max_length=400, blank=True)
    url = models.CharField(_("address"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    title_terms = models.TextField(_("title terms"), blank=True)
    text_terms = models.TextField(_("text terms"), blank=True)
    # The filter and access values as index terms ("øpub1", "øbody12", "øyear2024", ...; see
    # `indexer.filter_terms`), so the text index itself applies filters and the access rule.
    filter_terms = models.TextField(_("filter terms"), blank=True)
    # 'A' for decisions, 'D' for everything else: PostgreSQL's setweight() class of the text.
    text_weight = models.CharField(_("text weight"), max_length=1, default="D")

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["kind", "object_id"], name="search_doc_object"),
            models.Index(fields=["item_id"], name="search_doc_item"),
            models.Index(fields=["meeting_id"], name="search_doc_meeting"),
            models.Index(fields=["body_id", "date"], name="search_doc_body_date"),
            models.Index(fields=["date"], name="search_doc_date"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.section} {self.title}"


class SearchState(models.Model):
    """Søgeindeksets tilstand: when and with which layout the index was built (one row; how
    far it has read the events is its `EventConsumerPosition`, 'search')."""

    rebuilt_at = models.DateTimeField(_("last rebuilt"), null=True, blank=True)
    # `services.INDEX_VERSION` of the build: an index of another version is rebuilt.
    index_version = models.PositiveIntegerField(_("index version"), default=0)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index state")

    def __str__(self) -> str:
        return f"search index version {self.index_version}"


class SearchTermStatistic(models.Model):
    """How many documents hold a frequent index term (SQLite: read from the FTS index).

    Only terms in at least `STATISTICS_MIN_DOCUMENTS` documents are kept; the SQLite backend
    uses them to foresee what bm25() would cost (it counts every matching document of each
    term before it ranks one) and ranks a query of frequent words another way."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    documents = models.PositiveIntegerField(_("documents"))

    class Meta:
        verbose_name = _("search term statistic")
        verbose_name_plural = _("search term statistics")

    def __str__(self) -> str:
        return f"{self.term}: {self.documents}"
