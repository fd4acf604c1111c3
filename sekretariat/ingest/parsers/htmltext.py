"""HTML to the Markdown-like text ``structure`` reads: headings as '### ', list items as '- '.

Used for HTML pages and for the HTML that exports put inside their fields.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_BLOCK = {
    "p", "div", "section", "article", "li", "tr", "table", "ul", "ol", "br", "hr", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl", "header", "footer", "main", "td", "th",
    "pre", "form", "nav", "aside", "figure", "figcaption",
}  # fmt: skip
_SKIP = {
    "script", "style", "head", "title", "noscript", "template", "svg", "button", "input", "select",
    "nav",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _walk(node: etree._Element, out: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    tag = tag.lower()
    if tag in _SKIP:
        if node.tail:
            out.append(node.tail)
        return
    if tag in _HEADINGS:
        text = " ".join(node.text_content().split())
        if text:
            out.append(f"\n{'#' * _HEADINGS[tag]} {text}\n")
        if node.tail:
            out.append(node.tail)
        return
    if tag in {"strong", "b"} and _alone_in_block(node):
        text = " ".join(node.text_content().split())
        if text:
            out.append(f"\n**{text}**\n")
        if node.tail:
            out.append(node.tail)
        return
    block = tag in _BLOCK
    if block:
        out.append("\n")
    if tag == "li":
        out.append("- ")
    if tag in {"td", "th"}:
        out.append("\t")
    if node.text:
        out.append(node.text)
    for child in node:
        _walk(child, out)
    if block:
        out.append("\n")
    if node.tail:
        out.append(node.tail)


def _alone_in_block(node: etree._Element) -> bool:
    """A bold run that is the whole of its paragraph: a heading in disguise."""
    parent = node.getparent()
    while parent is not None and parent.tag in {"span", "em", "i", "u", "font"}:
        node, parent = parent, parent.getparent()
    if parent is None or parent.tag not in {"p", "div", "td", "li"}:
        return False
    own = " ".join(node.text_content().split())
    whole = " ".join(parent.text_content().split())
    return bool(own) and own == whole and len(own) < 120


def element_text(node: etree._Element) -> str:
    out: list[str] = []
    _walk(node, out)
    text = "".join(out).replace("\u00a0", " ")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment or page; '' when there is none."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return lxml.html.fromstring(f"<p>{fragment}</p>").text_content().strip()
    try:
        root = lxml.html.fromstring(fragment)
    except (etree.ParserError, ValueError):
        return ""
    return element_text(root)
