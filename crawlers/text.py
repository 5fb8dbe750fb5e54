"""HTML fragments from sources -> plain text with line breaks kept.

Post text is stored and shown as plain text only; markup never survives intake.
"""

from __future__ import annotations

import re

# lxml ships no type information (lxml-stubs is no dependency of this project).
import lxml.html  # type: ignore[import-untyped]
from lxml import etree

_BLOCK = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def element_to_text(element) -> str:
    """Text of an lxml element: <br> and block ends become newlines, emoji images their
    character, links their text."""
    parts: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.tail:
                parts.append(el.tail)
            return
        tag = el.tag.lower()
        if tag in ("script", "style"):
            pass
        elif tag == "br":
            parts.append("\n")
        else:
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
            if tag in _BLOCK:
                parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    if element.text:
        parts.append(element.text)
    for child in element:
        walk(child)
    return tidy("".join(parts))


def html_to_text(fragment: str | None) -> str:
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return tidy(re.sub(r"<[^>]*>", " ", fragment))
    return element_to_text(root)


def tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
