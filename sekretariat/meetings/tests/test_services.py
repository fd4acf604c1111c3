import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile

from sekretariat.bodies.tests import factories as bf
from sekretariat.core import dispatch, events
from sekretariat.core.errors import ApplicationError, ConcurrentEditError
from sekretariat.core.models import AuditEvent
from sekretariat.meetings import services
from sekretariat.meetings.models import AgendaItem, Attachment, Meeting, MinutesCorrection

from . import factories as f

pytestmark = pytest.mark.django_db


def numbers(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("number", "title"))


class TestMeeting:
    def test_meeting_that_ends_before_it_starts_is_refused_and_nothing_is_written(self):
        body = bf.body()
        start = f.aware(2026, 5, 4, 14)
        with pytest.raises(ApplicationError) as exc:
            services.meeting_create(
                body=body, starts_at=start, ends_at=start - datetime.timedelta(minutes=30)
            )
        assert exc.value.field == "ends_at"
        assert "slutte efter" in exc.value.message
        assert not Meeting.objects.filter(body=body).exists()

    def test_standing_items_frame_the_agenda(self):
        m = f.meeting(with_standing_items=True)
        f.item(m, title="Budget 2027 – test 7f3a")
        assert services.agenda_standing_items_add(meeting=m) == []  # adds nothing twice
        # The new item went before 'Eventuelt', and the numbers follow the order.
        assert numbers(m) == [
            ("1", "Godkendelse af dagsorden"),
            ("2", "Godkendelse af referat"),
            ("3", "Budget 2027 – test 7f3a"),
            ("4", "Eventuelt"),
        ]

    def test_meeting_plan_creates_one_meeting_per_new_date(self):
        body = bf.body()
        dates = [datetime.date(2027, 2, 3), datetime.date(2027, 4, 7)]
        created = services.meeting_plan_create(
            body=body, dates=dates, start_time=datetime.time(9), duration_minutes=90
        )
        assert len(created) == 2
        again = services.meeting_plan_create(
            body=body,
            dates=[*dates, datetime.date(2027, 6, 2)],
            start_time=datetime.time(9),
            duration_minutes=90,
        )
        assert len(again) == 1
        assert body.meetings.count() == 3
        assert all(m.agenda_items.count() == 3 for m in body.meetings.all())


class TestItems:
    def test_items_are_numbered_in_order_and_kind_is_read_from_title(self):
        m = f.meeting()
        a = f.item(m, title="Godkendelse af regnskab 3c9a")
        b = f.item(m, title="Orientering om status 3c9a")
        c = f.item(m, title="Drøftelse af strategi 3c9a")
        assert (a.number, b.number, c.number) == ("1", "2", "3")
        assert (a.kind, b.kind, c.kind) == ("beslutning", "orientering", "droeftelse")

    def test_duplicate_item_number_is_refused(self):
        m = f.meeting()
        f.item(m, number="7")
        with pytest.raises(ApplicationError) as exc:
            f.item(m, number="7")
        assert exc.value.field == "number"
        assert "7" in exc.value.message
        assert m.agenda_items.count() == 1

    def test_duplicate_number_on_update_is_refused_and_item_unchanged(self):
        m = f.meeting()
        f.item(m)
        second = f.item(m, title="Uændret titel 2b7e")
        with pytest.raises(ApplicationError):
            services.agenda_item_update(
                item=second,
                expected_version=second.version,
                fields={"number": "1", "title": "Ny titel"},
            )
        second.refresh_from_db()
        assert (second.number, second.title, second.version) == ("2", "Uændret titel 2b7e", 1)

    def test_second_of_two_concurrent_saves_is_refused(self):
        it = f.item(sections={"resume": "Første udgave 11aa"})
        first_view = AgendaItem.objects.get(pk=it.pk)
        second_view = AgendaItem.objects.get(pk=it.pk)
        services.agenda_item_update(
            item=first_view, expected_version=first_view.version, fields={"title": "Fra bruger A"}
        )
        summary_id = it.meeting.body.section_types.get(role="resume").pk
        with pytest.raises(ConcurrentEditError):
            services.agenda_item_update(
                item=second_view,
                expected_version=second_view.version,
                fields={"title": "Fra bruger B"},
                sections={summary_id: "Overskriver 22bb"},
            )
        it.refresh_from_db()
        assert it.title == "Fra bruger A"
        assert it.sections.get(section_type_id=summary_id).text == "Første udgave 11aa"

    def test_reorder_requires_every_item_once(self):
        m = f.meeting()
        a, b = f.item(m), f.item(m)
        with pytest.raises(ApplicationError):
            services.agenda_items_reorder(meeting=m, item_ids=[a.pk])
        services.agenda_items_reorder(meeting=m, item_ids=[b.pk, a.pk])
        assert list(m.agenda_items.order_by("position").values_list("pk", flat=True)) == [
            b.pk,
            a.pk,
        ]

    def test_items_cannot_be_removed_after_publication(self):
        m = f.published_meeting()
        with pytest.raises(ApplicationError):
            services.agenda_item_delete(item=m.agenda_items.first())
        assert m.agenda_items.count() == 1


class TestLifecycle:
    def test_empty_agenda_cannot_be_published(self):
        m = f.meeting()
        with pytest.raises(ApplicationError):
            services.agenda_publish(meeting=m)
        m.refresh_from_db()
        assert m.status == Meeting.Status.PLANNED

    def test_minutes_cannot_be_approved_before_the_meeting_is_held(self):
        m = f.published_meeting()
        with pytest.raises(ApplicationError):
            services.minutes_approve(meeting=m)

    def test_approved_minutes_refuse_edits_and_take_corrections(self):
        actor = bf.user()
        m = f.approved_meeting(decision="Oprindelig beslutning 0d4f.")
        it = m.agenda_items.get()
        with pytest.raises(ApplicationError) as exc:
            services.decision_record(item=it, text="Stille ændring")
        assert "rettelse" in exc.value.message
        with pytest.raises(ApplicationError):
            services.agenda_item_update(
                item=it, expected_version=it.version, fields={"title": "Ny titel"}
            )
        with pytest.raises(ApplicationError):
            services.minutes_correct(item=it, new_text="Rettet tekst", reason="  ", actor=actor)
        correction = services.minutes_correct(
            item=it, new_text="Rettet beslutning 0d4f.", reason="Stavefejl i beløb", actor=actor
        )
        assert correction.previous_text == "Oprindelig beslutning 0d4f."
        assert it.sections.get(section_type__role="beslutning").text == "Rettet beslutning 0d4f."
        assert MinutesCorrection.objects.filter(item=it).count() == 1
        row = AuditEvent.objects.get(action="minutes_correct")
        assert dispatch.event_from_row(row) == events.AgendaItemsChanged(
            meeting_id=it.meeting_id, item_ids=(it.pk,)
        )

    def test_cancelled_meeting_takes_no_items(self):
        m = f.meeting()
        services.meeting_cancel(meeting=m)
        with pytest.raises(ApplicationError):
            f.item(m)


class TestAttachments:
    def test_attachment_is_stored_under_its_hash(self):
        it = f.item()
        att = services.attachment_add(
            item=it, file=ContentFile(b"indhold 5a5a", name="notat.txt"), title="Notat"
        )
        assert att.sha256 == hashlib.sha256(b"indhold 5a5a").hexdigest()
        assert att.size_bytes == 12
        assert att.file.read() == b"indhold 5a5a"

    def test_attachment_over_the_limit_is_refused_and_nothing_stored(self, settings, tmp_path):
        settings.MAX_ATTACHMENT_BYTES = 10
        it = f.item()
        with pytest.raises(ApplicationError) as exc:
            services.attachment_add(item=it, file=ContentFile(b"x" * 11, name="stor.pdf"))
        assert exc.value.field == "file"
        assert not Attachment.objects.exists()
        media = tmp_path / "media"
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))

    def test_failed_attachment_leaves_no_file_behind(self, tmp_path):
        m = f.approved_meeting()
        it = m.agenda_items.get()
        with pytest.raises(ApplicationError):
            services.attachment_add(item=it, file=ContentFile(b"sent bilag", name="sent.txt"))
        assert not Attachment.objects.exists()
        media = tmp_path / "media"
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
