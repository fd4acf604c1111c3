"""Scripts that the multi-process tests run as processes of their own (`python -m`).

Each sets Django up from the environment (SEKRETARIAT_DATA_DIR, DATABASE_URL,
SEKRETARIAT_EVENT_HANDLING), as `sekretariat` would, and prints one line of JSON.

    python -m tests.processes.installation setup         # a body, staff, a published agenda
    python -m tests.processes.installation add TITLE     # an item, through the service
    python -m tests.processes.installation wait WORD S   # search until WORD is found (S seconds)
"""

import json
import os
import sys
import time


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")
    import django

    django.setup()


def setup() -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from sekretariat.bodies.models import Body, Organisation, Secretariat
    from sekretariat.meetings import services

    org = Organisation.objects.create(name="Hændelseskommune 9e9e", kind="kommune")
    secretariat = Secretariat.objects.create(
        name="Hændelsessekretariat 9e9e", host_organisation=org
    )
    staff = get_user_model().objects.create_user("haendelse-9e9e", password="proces-7f3a-kode")
    secretariat.staff.add(staff)
    body = Body.objects.create(
        name="Hændelsesforum 9e9e",
        slug="haendelsesforum",
        organisation=org,
        secretariat=secretariat,
    )
    starts = timezone.now() + timezone.timedelta(days=3)
    meeting = services.meeting_create(
        body=body, starts_at=starts, ends_at=starts + timezone.timedelta(hours=2)
    )
    services.agenda_item_add(meeting=meeting, title="Første punkt om vejvedligeholdelse")
    services.agenda_publish(meeting=meeting)
    return {"meeting": meeting.pk, "username": staff.username, "password": "proces-7f3a-kode"}


def add(title: str) -> dict:
    from sekretariat.meetings import services
    from sekretariat.meetings.models import Meeting

    meeting = Meeting.objects.get(body__slug="haendelsesforum")
    services.agenda_item_add(meeting=meeting, title=title)
    return {"committed_at": time.time()}


def wait(word: str, seconds: float) -> dict:
    from sekretariat.bodies.selectors import PUBLIC
    from sekretariat.search.selectors import search

    deadline = time.time() + seconds
    while time.time() < deadline:
        if search(word, PUBLIC).total:
            return {"found_at": time.time()}
        time.sleep(0.05)
    return {"found_at": None}


def main(argv: list[str]) -> None:
    _django()
    command, *args = argv
    if command == "setup":
        result = setup()
    elif command == "add":
        result = add(args[0])
    elif command == "wait":
        print(json.dumps({"ready": True}), flush=True)
        result = wait(args[0], float(args[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
