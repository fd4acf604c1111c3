"""Sager: a matter that travels through several fora, filed under a KLE journal number."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sekretariat.core.models import TimeStampedModel


class Case(TimeStampedModel):
    """Sag: one matter, with its journal number; its path is the agenda items that treat it."""

    class Status(models.TextChoices):
        OPEN = "aaben", _("open")
        FINISHED = "afsluttet", _("finished")

    title = models.CharField(_("title"), max_length=300)
    journal_number = models.CharField(
        _("journal number"),
        max_length=60,
        unique=True,
        help_text=_("KLE form, e.g. 00.15.10-P35-2-18."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.journal_number} {self.title}"

    @property
    def kle_topic(self) -> str:
        """The KLE subject (main group, group, subject: '00.15.10') at the start of the number."""
        return self.journal_number.split("-", 1)[0]
