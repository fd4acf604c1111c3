"""The task queue's side of reading uploads (`SEKRETARIAT_EVENT_HANDLING = "celery"`).

`sekretariat.upload_parse` reads one upload (sent after the commit that received it); the beat
runs `sekretariat.uploads_redispatch_stuck` every minute for uploads whose message was lost or
whose worker died mid-read. Both are idempotent: an upload is read once, whoever asks twice.
"""

from sekretariat.config.celery import app

from .services import UPLOAD_PARSE_TASK, UPLOADS_STUCK_TASK, upload_parse, uploads_redispatch_stuck


@app.task(name=UPLOAD_PARSE_TASK, ignore_result=True)
def upload_parse_task(upload_id: int) -> None:
    upload_parse(upload_id)


@app.task(name=UPLOADS_STUCK_TASK, ignore_result=True)
def uploads_redispatch_stuck_task() -> int:
    return uploads_redispatch_stuck()
