"""An article's own tag line ("Tags: energy, home, heat pumps") → its tags, taken out of the text.

Outlets list their tags under a label at the foot (or head) of a story: "Tags:",
"Topics:", "Related topics:", "Categories:", "Filed under:", "Keywords:", "Tagged with". The line (or the short
lines under a label that stands alone) is metadata: it becomes tags and leaves
the body. A label followed by prose is a sentence and stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .decode import strip_tags

MAX_TAG_WORDS = 5
MAX_TAGS = 20
MAX_LISTED_LINES = 12  # short lines under a lone "Tags:" label
MIN_LISTED_UNDER_BARE_LABEL = 2  # "Topics" without a colon is a heading unless a list follows it

_LABEL = re.compile(
    r"^\s*(?:(?:related|article|story|more)\s+)?(?:tags?|topics?|keywords?|key\s+words|subjects?|categor(?:y|ies))\b"
    r"\s*(?P<label_colon>:)?\s*(?P<rest>.*)$"
    r"|^\s*(?:filed\s+(?:under|in)|tagged(?:\s+(?:with|as|in))?)\s*(?P<colon>:)?\s*(?P<more>.*)$",
    re.IGNORECASE,
)
_LISTED_START = re.compile(r"^\s*(?:[#A-Z0-9]|[a-z]+[A-Z])")
_SPLIT = re.compile(r"\s*(?:[,;|•·]|\s/\s|\s#(?=\w))\s*")


@dataclass
class StatedTags:
    tags: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the text without its tag lines


def take_tag_lines(lines: list[str]) -> StatedTags:
    """Tags the article states about itself, and its lines without them."""
    stated = StatedTags()
    index = 0
    while index < len(lines):
        listed, used = _tag_line(lines, index)
        if used:
            stated.tags.extend(tag for tag in listed if tag not in stated.tags)
            index += used
            continue
        stated.lines.append(lines[index])
        index += 1
    stated.tags = stated.tags[:MAX_TAGS]
    return stated


def _tag_line(lines: list[str], index: int) -> tuple[list[str], int]:
    """(tags, lines used) for a tag line at `index`; ([], 0) when it is not one."""
    match = _LABEL.match(lines[index])
    if match is None:
        return [], 0
    rest = (match.group("rest") or match.group("more") or "").strip()
    if match.group("rest") is not None and not match.group("label_colon") and rest:
        return [], 0  # "Topics of the talks included…": a sentence, not a label
    if rest.endswith((".", "!", "?")):
        return [], 0  # a sentence ("Tagged as dangerous, he fled."), not a list
    bare_label = match.group("more") is not None and not match.group("colon")
    if rest and bare_label and not all(_LISTED_START.match(part) for part in _SPLIT.split(rest)):
        return [], 0  # without a colon, a label must be followed by names: "Filed under Politics | Ohio"
    if rest:
        tags = split_tags(rest)
        return (tags, 1) if tags else ([], 0)
    lone_label = match.group("rest") is not None  # "Tags" alone on its line, the list below it
    if not lines[index].rstrip().endswith(":") and not lone_label:
        return [], 0
    listed: list[str] = []
    used = 1
    for line in lines[index + 1 : index + 1 + MAX_LISTED_LINES]:
        tags = split_tags(line) if line.strip() else []
        if not tags:
            break
        listed.extend(tags)
        used += 1
    enough = len(listed) >= (1 if lines[index].rstrip().endswith(":") else MIN_LISTED_UNDER_BARE_LABEL)
    return (listed, used) if enough else ([], 0)


def split_tags(text: str) -> list[str]:
    """ "energy, home, heat pumps" → ["Energy", "Home", "Heat pumps"]; [] when any part reads as prose."""
    parts = [part.strip(" #.\t") for part in _SPLIT.split(strip_tags(text))]
    parts = [part for part in parts if part]
    if not parts or any(not _tag_shaped(part) for part in parts):
        return []
    return [part[:1].upper() + part[1:] if part.islower() else part for part in parts]


def _tag_shaped(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= MAX_TAG_WORDS and len(part) <= 50 and not re.search(r"[.!?:]\s|[<>{}=]", part)
