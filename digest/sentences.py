"""Sentences of a text, split by a segmenter that knows abbreviations and initials.

A hand-written "split after a full stop" cuts "…prepared to meet with U.S." and starts
"Wei, told analysts…" after "C.C.": summaries, titles and digest overviews all need
whole sentences, so they all take them from here. sentencex (Wikimedia's segmenter)
carries abbreviation lists for some 300 languages and is fast enough for ingest.
"""

from __future__ import annotations

import functools

from sentencex import segment


@functools.lru_cache(maxsize=64)
def _language_code(language: str) -> str:
    """ "en-GB" → "en": the segmenter's rules are per language, not per region."""
    return (language or "en").split("-")[0].split("_")[0].lower() or "en"


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of `text`, white space folded, in order; each line is split on its own
    (a line break always ends a sentence: scraped text has one block per line)."""
    code = _language_code(language)
    found: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        for piece in segment(code, line):
            sentence = " ".join(piece.split())
            if sentence:
                found.append(sentence)
    return found
