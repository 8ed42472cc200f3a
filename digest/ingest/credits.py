"""Picture credits and video prompts, in whatever words an outlet uses for them.

A credit is a label naming a picture ("Photograph", "Picture", "Image", "Illustration",
"Credit", "Photo by") followed by nothing but a name run ("Ben Birchall/PA", "Scott
Olson/Getty Images", "Highways Agency"), alone or closing a caption; or a bare
"Photographer/Agency" pair. A video prompt is a line that offers media rather than
reporting: a play/watch/listen label, or a running time ("duration 1:02", "2:31").
The shape decides, not the wording of one outlet: the name run may hold any
capitalised words, and a sentence with a verb after the label is never a credit.
"""

from __future__ import annotations

import re

_MEDIA = r"(?:photo(?:graph)?s?|pic(?:ture)?s?|images?|illustrations?|graphics?|footage|credits?|video)"
# A name as credits write it: capitalised words or initials, joined by slashes, "via", "for", "and", "&", commas.
_NAME_WORD = r"(?:[A-Z][\w.'’&-]*|[A-Z]{2,}|\d{4})"
_JOIN = r"(?:\s*[/,|]\s*|\s+(?:via|for|and|&|of|de|van|von|/)\s+|\s+)"
_NAME_RUN = rf"{_NAME_WORD}(?:{_JOIN}{_NAME_WORD}){{0,9}}"
_LABEL = rf"(?i:{_MEDIA}(?:\s+{_MEDIA})?\s*(?::|\bby\b|©)|©)"  # the label in any case, the name capitalised

_CREDIT = re.compile(rf"^[(\[]?\s*{_LABEL}\s*{_NAME_RUN}\s*[)\]]?\.?$")
# "The ferry was inspected in May. Photograph: Ben Birchall/PA": a caption closed by its credit
_CAPTION_CREDIT = re.compile(rf"[.!?”\"]\s+[(\[]?{_LABEL}\s*{_NAME_RUN}\s*[)\]]?\.?$")
# "Ben Birchall/PA", "AP Photo/Charles Krupa": photographer and agency, nothing else
_PAIR = re.compile(
    rf"^[(\[]?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s*/\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}[)\]]?$"
)
_PAIR_MEDIA = re.compile(r"\b(?:photo|getty|images|pool|handout|file|afp|ap|reuters|epa|pa|shutterstock|alamy)\b", re.I)

_DURATION = re.compile(r"(?:\bduration\b\s*[:,]?\s*)?\(?\b\d{1,2}:\d{2}(?::\d{2})?\)?$", re.IGNORECASE)
_PLAY = re.compile(
    r"^(?:[▶►▷]\s*)?(?:play|replay|watch|listen|video)(?:\s+(?:video|now|again|live|more|the video|clip|audio))?\s*"
    r"(?:[,:|—–-]|$)",
    re.IGNORECASE,
)
_UNSUPPORTED = re.compile(r"^media playback is (?:un)?supported on (?:your|this) device\W*$", re.IGNORECASE)
_MEDIA_WORD = re.compile(r"\b(?:video|play|watch|listen|duration|clip|audio)\b", re.IGNORECASE)
MAX_PROMPT_WORDS = 20
MAX_LABEL_WORDS = 6  # "Video duration 2:31": a label and a running time, no room for a sentence


def credit_or_prompt(line: str) -> str | None:
    """ "image credit" or "video prompt" when the whole line is one, else None."""
    text = line.strip()
    if _CREDIT.match(text) or _CAPTION_CREDIT.search(text) or (_PAIR.match(text) and _PAIR_MEDIA.search(text)):
        return "image credit"
    words = len(text.split())
    if words <= MAX_LABEL_WORDS and _MEDIA_WORD.search(text) and _DURATION.search(text):
        return "video prompt"
    if words <= MAX_PROMPT_WORDS and (
        _UNSUPPORTED.match(text) or (_PLAY.match(text) and (_DURATION.search(text) or '"' in text or "“" in text))
    ):
        return "video prompt"
    return None
