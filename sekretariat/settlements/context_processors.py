"""The header's IV link: shown to whoever holds a role in the IV register (see selectors)."""

from .selectors import request_course_viewer


def iv_access(request):
    return {"iv_access": request_course_viewer(request).may_use_register}
