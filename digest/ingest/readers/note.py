"""Markdown seeds (`.md`, `.markdown`): an editor's own articles, front matter optional.

What the front matter states is taken as stated, after the same checks a content
file gets (so the same mistakes get the same messages); the body is kept as
written. Only what it leaves out (a title, tags, a summary) is found by the rules.
"""

from __future__ import annotations

from ...model import FENCE, FrontMatterError, article_from_front_matter, load_yaml_mapping, split_front_matter
from ..decode import Rejected, decode_markup
from .base import NOTE, RawArticle

# Fields that say where a content file came from and whether it was edited: ingest writes them, never a seed.
_INGEST_FIELDS = ("origin", "seed_hash", "ingest_hash")
_PLACEHOLDER_TITLE = "untitled"


def read_note(data: bytes, origin: str) -> RawArticle:
    text = decode_markup(data)
    if not FENCE.match(text):
        return RawArticle(origin=origin, kind=NOTE, body=text.strip("\n"), front_matter={})
    try:
        front, body = split_front_matter(text)
        stated = load_yaml_mapping(front)
        _validate(stated, body)
    except FrontMatterError as error:
        raise Rejected(str(error)) from None
    for key in _INGEST_FIELDS:
        stated.pop(key, None)
    return RawArticle(origin=origin, kind=NOTE, body=body, front_matter=stated, url=_text(stated.get("url")))


def _validate(stated: dict, body: str) -> None:
    """The checks a content file gets; a title may be left out (the rules write one), not left empty."""
    if "title" in stated and stated["title"] in (None, ""):
        raise FrontMatterError("title: missing or empty")
    checked = dict(stated)
    checked.setdefault("title", _PLACEHOLDER_TITLE)
    article_from_front_matter(checked, body)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
