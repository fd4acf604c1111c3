"""The Celery application: `celery -A sekretariat.config.celery worker --beat`.

Used when `SEKRETARIAT_EVENT_HANDLING = "celery"`; its settings are the `CELERY_*` names of
`config/settings.py`. The tasks: `core.tasks.events_catch_up` (the event log's consumers) and
`ingest.tasks` (reading uploaded files outside the web request).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")

app = Celery("sekretariat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["sekretariat.core", "sekretariat.ingest"])

# Uploads whose message was lost or whose worker stopped mid-read are sent again (by name:
# `ingest.tasks` imports this module).
UPLOADS_STUCK_EVERY_SECONDS = 60.0


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    sender.add_periodic_task(
        UPLOADS_STUCK_EVERY_SECONDS,
        sender.signature("sekretariat.uploads_redispatch_stuck"),
        name="uploads-redispatch-stuck",
    )
