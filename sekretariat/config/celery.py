"""The Celery application: `celery -A sekretariat.config.celery worker --beat`.

Used when `SEKRETARIAT_EVENT_HANDLING = "celery"`; its settings are the `CELERY_*` names of
`config/settings.py`. The only task is `core.tasks.events_catch_up`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")

app = Celery("sekretariat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["sekretariat.core"])
