"""A whole saved web page that arrived as a text seed → its visible text, one block per line.

A `.txt` seed that begins like an HTML document (`<!DOCTYPE html>`, `<html>`, `<head>`, `<body>`)
is a page someone saved, not text with a few tags left in it: its head, scripts, styles and the
page's navigation, sidebars and footers are not the article, and nothing of its markup may reach a
title, a tag or the body. The standard library's HTML parser reads it as a browser would (entities
decoded, unclosed tags tolerated); the line rules that follow (title, byline, chrome) then see the
page as a scraper hands it over.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DOCUMENT_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
# Never shown, or the page's frame rather than its story (HTML's own meaning for these elements).
_HIDDEN = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "nav", "aside", "footer"}
)
_HIDDEN |= {"form", "button", "select", "textarea", "dialog", "menu"}
# Elements that start a new line of text where they open and close.
_BLOCKS = frozenset(
    "address article blockquote br caption dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 header hr li main ol p "
    "pre section table td th tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def is_document(text: str) -> bool:
    """Whether a text is a whole HTML page rather than text with markup in it."""
    return _DOCUMENT_START.match(text[:4096]) is not None


def page_text(text: str, keep_newlines: bool = False) -> str:
    """The visible text of a page's story area: one line per paragraph, heading, list item or cell.
    `keep_newlines`: the text's own line breaks count too (text with some markup in it, where a
    writer's blank line separates paragraphs), else only the markup's blocks do (a page)."""
    reader = _VisibleText()
    reader.feed(text)
    reader.close()
    lines = [" ".join(line.split()) for line in reader.lines(keep_newlines)]
    if not keep_newlines:
        return "\n".join(line for line in lines if line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._parts: list[str] = []
        self._lines: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # a page may leave its head unclosed
            self._hidden = [open_tag for open_tag in self._hidden if open_tag != "head"]
        elif tag == "title" and set(self._hidden) <= {"head"}:  # not an SVG's: the page's own title
            # "Storm hits coast | Example News" points at the headline and names the site
            self._break()
            self._in_title = True
        elif tag in _HIDDEN and tag not in _VOID:
            self._hidden.append(tag)
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._break()
            self._in_title = False
        elif tag in self._hidden:  # closes it and anything left open inside it
            del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._hidden or self._in_title:
            self._parts.append(data)

    def _break(self) -> None:
        if self._parts:
            self._lines.append("".join(self._parts))
            self._parts = []

    def lines(self, keep_newlines: bool) -> list[str]:
        self._break()
        if not keep_newlines:
            return self._lines
        return [piece for line in self._lines for piece in [*line.split("\n"), ""]]
