"""A full rebuild reads plain rows in bulk; indexing an object reads model instances. Both must
write the same documents, column for column."""

import pytest
from django.core.files.base import ContentFile

from sekretariat.bodies.models import Body, Person
from sekretariat.cases.models import Case
from sekretariat.demo.services import demo_build
from sekretariat.meetings import services as ms
from sekretariat.meetings.models import AgendaItem, Meeting
from sekretariat.search import indexer, services
from sekretariat.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    columns = list(indexer.COLUMNS)
    return sorted(
        tuple(str(value) for value in row) for row in SearchDocument.objects.values_list(*columns)
    )


@pytest.fixture
def installation():
    demo_build()
    # An attachment with text, and one closed, on an open item of the demo.
    item = (
        AgendaItem.objects.filter(access="aaben", meeting__status="dagsorden_offentliggjort")
        .order_by("pk")
        .first()
    )
    ms.attachment_add(
        item=item,
        file=ContentFile(b"Takstblad for dagstakster 4b4b", name="takst.txt"),
        title="Takstblad 4b4b",
    )
    ms.attachment_add(
        item=item,
        file=ContentFile(b"Fortroligt notat 9d9d", name="notat.txt"),
        title="Notat 9d9d",
        access="lukket",
    )


def _index_each_object() -> list[tuple]:
    SearchDocument.objects.all().delete()
    indexer.index_meetings(Meeting.objects.values_list("pk", flat=True))
    indexer.index_cases(Case.objects.values_list("pk", flat=True))
    indexer.index_bodies(Body.objects.values_list("pk", flat=True))
    indexer.index_people(Person.objects.values_list("pk", flat=True))
    return _snapshot()


@pytest.mark.parametrize("workers", [0, 2])
def test_rebuild_writes_what_indexing_each_object_writes(installation, workers):
    by_object = _index_each_object()
    assert len(by_object) > 200
    kinds = {row[indexer.COLUMNS.index("kind")] for row in by_object}
    assert kinds == {"punkt", "bilag", "moede", "sag", "forum", "person"}
    services.search_reindex(workers=workers)
    rebuilt = _snapshot()
    assert len(rebuilt) == len(by_object)
    assert [row for row in rebuilt if row not in set(by_object)] == []
    assert rebuilt == by_object
