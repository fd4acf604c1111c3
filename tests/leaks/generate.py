"""Generated installations for the leak test, built only through the services.

`installations()` is a hypothesis strategy that draws a plan: plain frozen data (bodies, people
and their seats, meetings with a target status, items open and closed with sections, decisions,
attachments and journal numbers shared between them, and edits made along the way), which
shrinks well and prints readably. `build(plan)` carries the plan out through the services, as
the secretariat would, and returns a `Built`: what was made, the viewers to crawl as, and the
`Ledger` of every marker word written and where it lives.

Every text the generator writes carries a marker word (`markers.py`), so that a crawl can tell,
for any response, which things' text it holds.

Where no service exists the generator writes the row itself, as the app's own factories do:
a secretariat, a body's secretariat (an administrator assigns it), a secretariat's staff and
the login of a person. Each such place says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import strategies as st

from sekretariat.bodies import services as body_services
from sekretariat.bodies.models import Body, Membership, Person, Secretariat
from sekretariat.core.errors import ApplicationError
from sekretariat.meetings import services
from sekretariat.meetings.models import Access, AgendaItem, Attachment, Meeting
from sekretariat.search.services import search_catch_up

from .markers import Kind, Ledger, Markers, Secret, ViewerSpec, tiny_pdf

TEXT_ROLES = ("resume", "indstilling", "sagsfremstilling")
DECISION_ROLE = "beslutning"

# --- the plan: plain data that hypothesis draws and shrinks -----------------------------------

# Where a meeting ends up. 'cancelled_published': cancelled after its agenda was published.
TARGETS = ("planned", "published", "held", "approved", "cancelled", "cancelled_published")
STAGES = ("planned", "published", "held", "approved")
# The edits each stage of a meeting allows (the services refuse the others anyway). The edits
# that move an item between open and closed or between cases, and the catching up of the
# search index between edits (what leaves a document stale), are drawn more often.
STAGE_OPS = {
    "planned": (
        "close", "reopen", "retitle", "rejournal", "rejournal", "section", "attach", "detach",
        "delete", "index",
    ),
    "published": (
        "close", "close", "reopen", "retitle", "rejournal", "rejournal", "section", "decision",
        "attach", "detach", "index", "index",
    ),
    "held": (
        "close", "reopen", "retitle", "rejournal", "section", "decision", "attach", "detach",
        "index",
    ),
    "approved": ("correct", "index"),
}  # fmt: skip
# When a seat is held, relative to today.
SEATS = ("current", "ended", "future", "ends_today", "starts_today")
JOURNALS = 3  # journal numbers shared between items, across meetings and bodies


@dataclass(frozen=True)
class AttachmentPlan:
    access: str
    pdf: bool


@dataclass(frozen=True)
class ItemPlan:
    access: str
    roles: tuple[str, ...]
    # None; 'create': a decision written with the item; 'record': once the agenda is out.
    decision: str | None
    public_title: bool
    journal: int | None
    attachments: tuple[AttachmentPlan, ...]


@dataclass(frozen=True)
class MeetingPlan:
    body: int
    target: str
    day: int  # days from today
    standing: bool
    items: tuple[ItemPlan, ...]


@dataclass(frozen=True)
class EditPlan:
    meeting: int
    stage: str
    op: str
    item: int
    arg: int


@dataclass(frozen=True)
class PersonPlan:
    organisation: int
    seats: tuple[tuple[int, str], ...]  # (body, when)


@dataclass(frozen=True)
class InstallationPlan:
    salt: int
    organisations: int
    secretariats: int
    bodies: tuple[tuple[int, int | None], ...]  # (organisation, secretariat or None)
    people: tuple[PersonPlan, ...]
    meetings: tuple[MeetingPlan, ...]
    edits: tuple[EditPlan, ...]
    catch_up_first: bool


ACCESS = st.sampled_from([Access.OPEN.value, Access.CLOSED.value])
# Items are closed more often than not: a case treated only in closed items is a risky one.
ITEM_ACCESS = st.sampled_from([Access.OPEN.value, Access.CLOSED.value, Access.CLOSED.value])

attachment_plans = st.builds(AttachmentPlan, access=ACCESS, pdf=st.booleans())

item_plans = st.builds(
    ItemPlan,
    access=ITEM_ACCESS,
    roles=st.lists(st.sampled_from(TEXT_ROLES), unique=True, max_size=3).map(tuple),
    decision=st.sampled_from([None, "create", "record"]),
    public_title=st.booleans(),
    # Journal number 0 is the one most shared (across meetings and bodies).
    journal=st.sampled_from([None, 0, 0, 1, 2]),
    attachments=st.lists(attachment_plans, max_size=2).map(tuple),
)


def meeting_plans(bodies: int):
    return st.builds(
        MeetingPlan,
        body=st.integers(0, bodies - 1),
        target=st.sampled_from(TARGETS),
        day=st.integers(-200, 200),
        standing=st.booleans(),
        items=st.lists(item_plans, min_size=1, max_size=3).map(tuple),
    )


_STAGE_OP_PAIRS = [(stage, op) for stage, ops in STAGE_OPS.items() for op in ops]


def edit_plans(meetings: int):
    return st.builds(
        lambda m, pair, item, arg: EditPlan(m, pair[0], pair[1], item, arg),
        st.integers(0, meetings - 1),
        st.sampled_from(_STAGE_OP_PAIRS),
        st.integers(0, 3),
        st.integers(0, 3),
    )


@st.composite
def installations(draw, *, max_meetings: int = 4, max_edits: int = 8) -> InstallationPlan:
    """An installation: 1-3 organisations and bodies, 1-2 secretariats (a body may have none),
    1-3 people with seats, meetings in every state, and edits made along the way."""
    organisations = draw(st.integers(1, 3))
    secretariats = draw(st.integers(1, 2))
    n_bodies = draw(st.sampled_from([1, 2, 2, 3]))
    bodies = tuple(
        (
            draw(st.integers(0, organisations - 1)),
            draw(st.one_of(st.integers(0, secretariats - 1), st.none())),
        )
        for _ in range(n_bodies)
    )
    people = tuple(
        draw(
            st.lists(
                st.builds(
                    PersonPlan,
                    organisation=st.integers(0, organisations - 1),
                    seats=st.lists(
                        st.tuples(st.integers(0, n_bodies - 1), st.sampled_from(SEATS)),
                        max_size=2,
                        unique_by=lambda seat: seat[0],
                    ).map(tuple),
                ),
                min_size=1,
                max_size=3,
            )
        )
    )
    meetings = tuple(
        draw(
            st.lists(meeting_plans(n_bodies), min_size=min(2, max_meetings), max_size=max_meetings)
        )
    )
    edits = tuple(draw(st.lists(edit_plans(len(meetings)), max_size=max_edits)))
    return InstallationPlan(
        salt=draw(st.integers(0, 10**9)),
        organisations=organisations,
        secretariats=secretariats,
        bodies=bodies,
        people=people,
        meetings=meetings,
        edits=edits,
        catch_up_first=draw(st.booleans()),
    )


# --- building ---------------------------------------------------------------------------------


def search_catch_up_all() -> int:
    """Hand every recorded event to the search index, as the after-commit handler would (in a
    test's transaction no commit happens). `now` lies ahead: an example rolled back leaves a
    gap in the event ids (PostgreSQL's sequences do not roll back) that must not hold it up."""
    later = timezone.now() + datetime.timedelta(minutes=5)
    total = 0
    while read := search_catch_up(limit=1000, now=later):
        total += read
    return total


@dataclass
class Built:
    plan: InstallationPlan
    ledger: Ledger
    viewers: list[ViewerSpec]
    bodies: list[Body]
    meetings: list[Meeting]
    journals: list[str]
    item_pks: list[int] = field(default_factory=list)
    attachment_pks: list[int] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def log(self, text: str) -> None:
        self.steps.append(text)


class _Builder:
    def __init__(self, plan: InstallationPlan):
        self.plan = plan
        self.marker = Markers(plan.salt)
        self.ledger = Ledger()
        self.today = timezone.localdate()
        tag = self.marker.salt % 100_000
        self.tag = f"{tag:05d}"
        self.built: Built | None = None
        # (item pk, role) -> the marker of the section's current text
        self.section_markers: dict[tuple[int, str], str] = {}
        self.title_markers: dict[int, str] = {}
        self.live_attachments: dict[int, list[int]] = {}
        self.deleted_items: set[int] = set()
        self.section_types: dict[int, dict[str, int]] = {}

    # -- people and bodies --

    def people_and_bodies(self):
        plan, User = self.plan, get_user_model()
        orgs = [
            body_services.organisation_find_or_create(
                name=f"Lækkommune {k} {self.tag}", kind="kommune"
            )
            for k in range(plan.organisations)
        ]
        # No service creates a secretariat (an administrator does, in the admin): as the
        # factories do.
        secretariats = [
            Secretariat.objects.create(
                name=f"Læksekretariat {k} {self.tag}", host_organisation=orgs[0]
            )
            for k in range(plan.secretariats)
        ]
        bodies = []
        for k, (org, sec) in enumerate(plan.bodies):
            body = body_services.body_create(
                name=f"Lækforum {k} {self.tag}", organisation=orgs[org % len(orgs)]
            )
            if sec is not None:
                # A body's secretariat is assigned by an administrator; no service does it.
                Body.objects.filter(pk=body.pk).update(secretariat=secretariats[sec])
                body.refresh_from_db()
            bodies.append(body)
            self.section_types[body.pk] = {
                st.role: st.pk for st in services.section_template_ensure(body)
            }
        viewers = [ViewerSpec("public", None, frozenset(), description="anonymous public")]
        for k, sec in enumerate(secretariats):
            user = User.objects.create_user(f"laek-staff{k}-{self.tag}", password=None)
            sec.staff.add(user)  # no service adds staff (the admin does)
            served = frozenset(
                body.pk for body, (_o, s) in zip(bodies, plan.bodies, strict=True) if s == k
            )
            viewers.append(
                ViewerSpec(f"staff{k}", user, served, is_staff=True, description=f"staff of {sec}")
            )
        # An IV municipal user: a login and a person of a municipality, no seat anywhere.
        iv_user = User.objects.create_user(f"laek-iv-{self.tag}", password=None)
        self._person_with_login(f"Kommunal bruger {self.tag}", orgs[-1], iv_user)
        viewers.append(ViewerSpec("iv", iv_user, frozenset(), description="IV municipal user"))
        for k, person_plan in enumerate(plan.people):
            user = User.objects.create_user(f"laek-member{k}-{self.tag}", password=None)
            person = self._person_with_login(
                f"Medlem {k} {self.tag}", orgs[person_plan.organisation % len(orgs)], user
            )
            full = set()
            for body_index, when in person_plan.seats:
                body = bodies[body_index % len(bodies)]
                if self._seat(person, body, when):
                    full.add(body.pk)
            seats = ", ".join(f"{bodies[b % len(bodies)].name}: {w}" for b, w in person_plan.seats)
            viewers.append(
                ViewerSpec(f"member{k}", user, frozenset(full), description=f"seats: {seats}")
            )
        return bodies, viewers

    def _person_with_login(self, name, org, user) -> Person:
        person = body_services.person_create(name=name, organisation=org)
        # No service links a login to a person (the admin does): as the factories do.
        Person.objects.filter(pk=person.pk).update(user=user)
        return person

    def _seat(self, person, body, when: str) -> bool:
        """Give `person` a seat in `body`; returns whether it is held today (by our own
        reading of the dates: a seat is held from its first to its last day, both included)."""
        day = datetime.timedelta(days=1)
        start = {
            "current": self.today - 400 * day,
            "ended": self.today - 400 * day,
            "ends_today": self.today - 400 * day,
            "future": self.today + 30 * day,
            "starts_today": self.today,
        }[when]
        appointment = body_services.appointment_make(
            body=body, person=person, role=Membership.Role.MEMBER, effective_date=start
        )
        if when == "ended":
            body_services.membership_end(
                membership=appointment.membership, end_date=self.today - day
            )
        elif when == "ends_today":
            body_services.membership_end(membership=appointment.membership, end_date=self.today)
        return when in ("current", "ends_today", "starts_today")

    # -- meetings and items --

    def journals(self) -> list[str]:
        journals = []
        for k in range(JOURNALS):
            marker = self.marker()
            journal = f"00.0{k + 1}.00-g01-{marker}"
            self.ledger.add(Secret(marker, Kind.JOURNAL, f"journal number {k}", journal=journal))
            journals.append(journal)
        return journals

    def meeting(self, index: int, plan: MeetingPlan, bodies: list[Body], journals) -> Meeting:
        body = bodies[plan.body % len(bodies)]
        now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        starts = now + datetime.timedelta(days=plan.day)
        meeting = services.meeting_create(
            body=body,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            title=f"Møde {index} {self.tag}",
            with_standing_items=plan.standing,
        )
        self.built.log(f"meeting {index} (pk {meeting.pk}) of {body.name} on day {plan.day}")
        meeting._leak_items = []
        for k, item_plan in enumerate(plan.items):
            item = self.item(meeting, index, k, item_plan, journals)
            meeting._leak_items.append(item.pk)
        return meeting

    def _where(self, meeting_index: int, item_index: int, what: str) -> str:
        return f"{what} of item {item_index} of meeting {meeting_index}"

    def item(self, meeting, meeting_index, k, plan: ItemPlan, journals) -> AgendaItem:
        body_pk = meeting.body_id
        types = self.section_types[body_pk]
        title_marker = self.marker()
        sections, section_markers = {}, {}
        for role in plan.roles:
            marker = self.marker()
            sections[types[role]] = f"Tekst om {marker} til punktet."
            section_markers[role] = marker
        if plan.decision == "create":
            marker = self.marker()
            sections[types[DECISION_ROLE]] = f"Beslutning om {marker} blev truffet."
            section_markers[DECISION_ROLE] = marker
        public_marker = self.marker() if plan.public_title else ""
        journal = journals[plan.journal] if plan.journal is not None else ""
        item = services.agenda_item_add(
            meeting=meeting,
            title=f"Punkt om {title_marker}",
            access=plan.access,
            public_title=f"Neutral titel {public_marker}" if public_marker else "",
            journal_number=journal,
            sections=sections,
        )
        self.journal_used(journal, body_pk)
        self.built.item_pks.append(item.pk)
        where = lambda what: self._where(meeting_index, k, what)  # noqa: E731
        self.ledger.add(Secret(title_marker, Kind.ITEM_TEXT, where("title"), body_pk, item.pk))
        self.title_markers[item.pk] = title_marker
        for role, marker in section_markers.items():
            kind = Kind.DECISION if role == DECISION_ROLE else Kind.ITEM_TEXT
            self.ledger.add(Secret(marker, kind, where(f"section {role}"), body_pk, item.pk))
            self.section_markers[(item.pk, role)] = marker
        if public_marker:
            self.ledger.add(
                Secret(public_marker, Kind.PUBLIC_TITLE, where("public title"), body_pk, item.pk)
            )
        self.built.log(
            f"  item {k} (pk {item.pk}) {plan.access}, journal {plan.journal}, "
            f"sections {sorted(section_markers)}"
        )
        for attachment_plan in plan.attachments:
            self.attachment(item, meeting_index, k, attachment_plan.access, attachment_plan.pdf)
        return item

    def attachment(self, item, meeting_index, k, access: str, pdf: bool) -> Attachment:
        title_m, name_m, content_m = self.marker(), self.marker(), self.marker()
        if pdf:
            content, name = tiny_pdf(f"Bilag med {content_m} i teksten"), f"bilag-{name_m}.pdf"
        else:
            content = f"Bilagets tekst: {content_m}.\n".encode()
            name = f"bilag-{name_m}.txt"
        attachment = services.attachment_add(
            item=item, file=ContentFile(content, name=name), title=f"Bilag {title_m}", access=access
        )
        self.built.attachment_pks.append(attachment.pk)
        self.live_attachments.setdefault(item.pk, []).append(attachment.pk)
        body_pk = item.meeting.body_id
        for marker, what in ((title_m, "title"), (name_m, "file name"), (content_m, "content")):
            where = self._where(meeting_index, k, f"attachment {attachment.pk} {what} ({access})")
            self.ledger.add(Secret(marker, Kind.ATTACHMENT, where, body_pk, item.pk, attachment.pk))
        self.built.log(f"    attachment pk {attachment.pk} {access} {'pdf' if pdf else 'txt'}")
        return attachment

    # -- the life cycle, with edits along the way --

    def lifecycle(self, meetings: list[Meeting], plans: tuple[MeetingPlan, ...], edits):
        stage_of = {m.pk: "planned" for m in meetings}
        for stage in STAGES:
            for index, (meeting, plan) in enumerate(zip(meetings, plans, strict=True)):
                if stage_of[meeting.pk] != stage:
                    continue
                for edit in edits:
                    if edit.meeting % len(meetings) == index and edit.stage == stage:
                        self.edit(meeting, index, edit)
                if stage == "published":
                    self.record_decisions(meeting, plan, index)
                stage_of[meeting.pk] = self.advance(meeting, plan, stage, index)

    def record_decisions(self, meeting, plan: MeetingPlan, index: int):
        for k, (pk, item_plan) in enumerate(zip(meeting._leak_items, plan.items, strict=True)):
            if item_plan.decision == "record" and pk not in self.deleted_items:
                self.decision(AgendaItem.objects.get(pk=pk), index, k)

    def advance(self, meeting, plan: MeetingPlan, stage: str, index: int) -> str:
        target = plan.target
        steps: dict[str, tuple[str, Callable]] = {
            "planned": ("published", services.agenda_publish),
            "published": ("held", services.meeting_mark_held),
            "held": ("approved", services.minutes_approve),
        }
        try:
            if target == "cancelled" and stage == "planned":
                services.meeting_cancel(meeting=meeting)
                self.built.log(f"meeting {index} cancelled")
                return "cancelled"
            if target == "cancelled_published" and stage == "published":
                services.meeting_cancel(meeting=meeting)
                self.built.log(f"meeting {index} cancelled after publication")
                return "cancelled"
            if stage not in steps or STAGES.index(stage) >= STAGES.index(_reached(target)):
                return "done"
            following, service = steps[stage]
            service(meeting=meeting)
        except ApplicationError as exc:
            self.built.log(f"meeting {index}: {stage} -> refused: {exc.message}")
            return "done"
        self.built.log(f"meeting {index} -> {following}")
        return following

    def edit(self, meeting, index: int, edit: EditPlan):
        if edit.op == "index":
            self.built.log("search index caught up")
            search_catch_up_all()
            return
        live = [pk for pk in meeting._leak_items if pk not in self.deleted_items]
        if not live:
            return
        k = edit.item % len(meeting._leak_items)
        pk = meeting._leak_items[k]
        if pk in self.deleted_items:
            pk = live[0]
            k = meeting._leak_items.index(pk)
        item = AgendaItem.objects.select_related("meeting").get(pk=pk)
        label = f"meeting {index} item {k} (pk {pk}): {edit.op}"
        try:
            getattr(self, f"op_{edit.op}")(item, index, k, edit.arg)
        except ApplicationError as exc:
            self.built.log(f"{label} refused: {exc.message}")
        else:
            self.built.log(label + (f" {edit.arg}" if edit.op in ("rejournal", "section") else ""))

    def _update(self, item, fields=None, sections=None):
        return services.agenda_item_update(
            item=item, expected_version=item.version, fields=fields or {}, sections=sections
        )

    def op_close(self, item, index, k, arg):
        self._update(item, {"access": Access.CLOSED})

    def op_reopen(self, item, index, k, arg):
        self._update(item, {"access": Access.OPEN})

    def op_retitle(self, item, index, k, arg):
        marker = self.marker()
        self._update(item, {"title": f"Punkt om {marker}"})
        self.ledger.retire(self.title_markers[item.pk], "title replaced")
        self.title_markers[item.pk] = marker
        where = self._where(index, k, "new title")
        self.ledger.add(Secret(marker, Kind.ITEM_TEXT, where, item.meeting.body_id, item.pk))

    def op_rejournal(self, item, index, k, arg):
        journals = self.built.journals
        journal = journals[arg] if arg < len(journals) else ""
        self._update(item, {"journal_number": journal})
        self.journal_used(journal, item.meeting.body_id)

    def journal_used(self, journal: str, body_pk: int) -> None:
        for secret in self.ledger.of_kind(Kind.JOURNAL):
            if journal and secret.journal == journal:
                secret.bodies_ever.add(body_pk)

    def op_section(self, item, index, k, arg):
        role = TEXT_ROLES[arg % len(TEXT_ROLES)]
        marker = self.marker()
        type_pk = self.section_types[item.meeting.body_id][role]
        self._update(item, sections={type_pk: f"Ny tekst om {marker} til punktet."})
        old = self.section_markers.get((item.pk, role))
        if old:
            self.ledger.retire(old, "section text replaced")
        self.section_markers[(item.pk, role)] = marker
        where = self._where(index, k, f"new section {role}")
        self.ledger.add(Secret(marker, Kind.ITEM_TEXT, where, item.meeting.body_id, item.pk))

    def op_decision(self, item, index, k, arg):
        self.decision(item, index, k)

    def decision(self, item, index, k):
        marker = self.marker()
        services.decision_record(item=item, text=f"Beslutning om {marker} blev truffet.")
        old = self.section_markers.get((item.pk, DECISION_ROLE))
        if old:
            self.ledger.retire(old, "decision replaced before approval")
        self.section_markers[(item.pk, DECISION_ROLE)] = marker
        where = self._where(index, k, "decision")
        self.ledger.add(Secret(marker, Kind.DECISION, where, item.meeting.body_id, item.pk))

    def op_attach(self, item, index, k, arg):
        access = Access.OPEN if arg % 2 else Access.CLOSED
        self.attachment(item, index, k, access, pdf=arg >= 2)

    def op_detach(self, item, index, k, arg):
        live = self.live_attachments.get(item.pk) or []
        if not live:
            return
        pk = live[arg % len(live)]
        services.attachment_delete(attachment=Attachment.objects.get(pk=pk))
        live.remove(pk)
        for secret in self.ledger.secrets.values():
            if secret.attachment_pk == pk:
                self.ledger.retire(secret.marker, "attachment deleted")

    def op_delete(self, item, index, k, arg):
        pk = item.pk  # (a deleted instance's pk is None)
        services.agenda_item_delete(item=item)
        self.deleted_items.add(pk)
        self.ledger.retire_item(pk, "item deleted")

    def op_correct(self, item, index, k, arg):
        new, reason = self.marker(), self.marker()
        services.minutes_correct(
            item=item,
            new_text=f"Rettet beslutning om {new}.",
            reason=f"Rettelse fordi {reason}.",
        )
        # The old text stays on the item's page as the correction's previous text: it is read
        # as the decision is, so its marker keeps its kind.
        self.section_markers[(item.pk, DECISION_ROLE)] = new
        body = item.meeting.body_id
        self.ledger.add(
            Secret(new, Kind.DECISION, self._where(index, k, "corrected decision"), body, item.pk)
        )
        self.ledger.add(
            Secret(reason, Kind.DECISION, self._where(index, k, "correction reason"), body, item.pk)
        )


def _reached(target: str) -> str:
    """The last stage of `STAGES` a meeting bound for `target` goes through."""
    return {"cancelled": "planned", "cancelled_published": "published"}.get(target, target)


# TODO(admin edits): the Django admin is being changed to route its writes through the
# services. Once it does, add edits made through the admin's change forms here (as a
# superuser: close an item, change its title or journal number, change an attachment's access)
# as ops in `STAGE_OPS` whose `op_*` posts to `/admin/meetings/agendaitem/<pk>/change/`.
ADMIN_OPS: tuple[str, ...] = ()


def build(plan: InstallationPlan) -> Built:
    """Carry `plan` out through the services; the search index is caught up at the end (and,
    with `catch_up_first`, before anything is made, so that what follows is indexed by the
    event consumer's incremental updates rather than one rebuild)."""
    builder = _Builder(plan)
    if plan.catch_up_first:
        search_catch_up_all()
    bodies, viewers = builder.people_and_bodies()
    built = Built(plan=plan, ledger=builder.ledger, viewers=viewers, bodies=bodies,
                  meetings=[], journals=[])  # fmt: skip
    builder.built = built
    built.journals = builder.journals()
    built.meetings = [
        builder.meeting(index, meeting_plan, bodies, built.journals)
        for index, meeting_plan in enumerate(plan.meetings)
    ]
    builder.lifecycle(built.meetings, plan.meetings, plan.edits)
    search_catch_up_all()
    for meeting in built.meetings:
        meeting.refresh_from_db()
    return built
