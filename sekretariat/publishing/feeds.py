"""The Atom feed of a forum's decisions (Beslutninger), beside its iCal calendar.

The feed is public whoever fetches it (a feed reader has no session, and an address that showed
more to a logged-in member could be shared): it lists what `meetings.visibility` lets the public
read, through `selectors.published_decisions`.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body

from . import selectors


class BodyDecisionsFeed(Feed):
    feed_type = Atom1Feed
    language = "da"

    def get_object(self, request, slug: str) -> Body:
        return get_object_or_404(Body.objects.select_related("secretariat"), slug=slug)

    def title(self, body: Body) -> str:
        return _("Decisions of %(name)s") % {"name": body.name}

    def subtitle(self, body: Body) -> str:
        return _("The decisions of the open items in the approved minutes of %(body)s.") % {
            "body": body.name
        }

    def link(self, body: Body) -> str:
        return body.get_absolute_url()

    def feed_url(self, body: Body) -> str:
        return reverse("publishing:body_decisions_feed", kwargs={"slug": body.slug})

    def author_name(self, body: Body) -> str:
        return body.secretariat.name if body.secretariat else body.name

    def items(self, body: Body):
        return selectors.published_decisions(body=body)

    def item_title(self, decision) -> str:
        return _("%(date)s, item %(number)s: %(title)s") % {
            "date": _meeting_date(decision),
            "number": decision.item.number,
            "title": decision.item.title,
        }

    def item_description(self, decision) -> str:
        heading = _("Decision of the meeting on %(date)s") % {"date": _meeting_date(decision)}
        return format_html("<p><strong>{}</strong></p>", heading) + linebreaks(
            decision.text, autoescape=True
        )

    def item_link(self, decision) -> str:
        return decision.item.get_absolute_url()

    def item_pubdate(self, decision):
        return decision.item.meeting.minutes_approved_at or decision.item.meeting.ends_at

    def item_updateddate(self, decision):
        return decision.updated_at


def _meeting_date(decision) -> str:
    """The meeting's day in Danish ('3. februar 2026')."""
    return formats.date_format(timezone.localtime(decision.item.meeting.starts_at), "j. F Y")
