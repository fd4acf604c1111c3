"""Puts the request's viewer (its rights) in every template as `viewer`."""

from .selectors import request_viewer


def viewer(request):
    return {"viewer": request_viewer(request)}
