"""The analysis step of a bulk rebuild, run in worker processes (no Django: `spawn` imports
only this module and the pure analyzer)."""

from .analysis import index_text


def analyse_texts(texts: list[str]) -> list[str]:
    return [index_text(text) for text in texts]
