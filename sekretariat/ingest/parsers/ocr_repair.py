"""Placeholder replaced below."""


def repair_if_damaged(text: str, force: bool = False) -> tuple[str, list[str]]:
    return text, []
