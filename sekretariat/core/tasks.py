"""The task queue's side of event handling (`SEKRETARIAT_EVENT_HANDLING = "celery"`).

One task: catch every consumer up. It carries no event, only the wish that the log be read, so
a duplicate or lost message does no harm; the Celery beat schedule (`config/celery.py`) runs
it every few seconds as well, which catches up after a broker outage.
"""

from sekretariat.config.celery import app

from .dispatch import CATCH_UP_TASK, catch_up_all


@app.task(name=CATCH_UP_TASK, ignore_result=True)
def events_catch_up() -> int:
    return catch_up_all(long_work_allowed=True)
