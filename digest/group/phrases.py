"""Key phrases of headlines: the noun phrases an editor could name a digest by.

spaCy's small English pipeline (the one ingest uses for names) parses the headlines
and yields its noun chunks, cleaned of what a name never starts or ends with
("the", "his", "'s"), plus the parts a long chunk is made of: its run of proper
nouns ("Time Warner") and its closing compound of common nouns ("profit warning").
Phrases are keyed by their lower-case lemmas, so "video game" and "video games"
count as one. Only headlines are parsed (a dozen per digest, see naming.py): a
headline is where a story says what it is about, and parsing is the costly step.

Without the model, capitalised runs and the headline's longest stop-word-free
stretch stand in for noun chunks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..language import english
from .vectors import NEWS_STOP_WORDS

MAX_WORDS = 5  # a longer chunk is a clause, not a name
_LEADING = {"DET", "PRON", "NUM", "ADV", "CCONJ", "SCONJ", "PART", "PUNCT", "ADP", "SYM", "AUX", "VERB", "INTJ", "X"}
_NAME_WORD = {"NOUN", "PROPN"}
_CAPITALISED = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:of|the|and|de|von|van)?\s*[A-Z][\w’'.-]*)*")


@dataclass(frozen=True)
class Phrase:
    key: str  # lower-case lemmas: what counts as the same phrase
    text: str  # as the headline wrote it
    proper: bool  # all proper nouns: a name ("Time Warner"), not a topic ("profit warning")


def headline_phrases(headlines: list[str]) -> list[list[Phrase]]:
    """The phrases of each headline, in order, without repeats."""
    if not headlines:
        return []  # the model takes a second to load: not for nothing
    nlp = english()
    if nlp is None:
        return [_fallback(headline) for headline in headlines]
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):  # as ingest runs the model (see ingest/nlp.py)
        return [_unique(_doc_phrases(doc)) for doc in nlp.pipe(headlines, batch_size=64, disable=["ner"])]


def _doc_phrases(doc: Any) -> Iterable[Phrase]:
    for chunk in doc.noun_chunks:
        tokens = _trim(list(chunk))
        if not tokens or len(tokens) > MAX_WORDS or not any(t.pos_ in _NAME_WORD and t.is_alpha for t in tokens):
            continue
        yield _phrase(tokens)
        # A headline capitalises its first word: alone, that word is no evidence of a name.
        yield from (
            _phrase(part) for part in _parts(tokens) if part != tokens and not (len(part) == 1 and part[0].i == 0)
        )


def _trim(tokens: list) -> list:
    """Without leading determiners, numbers, pronouns… and a trailing possessive or punctuation;
    nothing when that cuts a word ("Wi-|Fi")."""
    while tokens and _loose_start(tokens):
        tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].pos_ in {"PUNCT", "PART"} or tokens[-1].is_stop):
        tokens = tokens[:-1]
    if tokens and tokens[0].i > 0 and not tokens[0].doc[tokens[0].i - 1].whitespace_:
        return []
    return tokens


def _loose_start(tokens: list) -> bool:
    first = tokens[0]
    if first.pos_ == "NUM" and first.is_alpha and len(tokens) > 1 and tokens[1].pos_ == "PROPN":
        return False  # part of a name: "Six Nations"
    return first.pos_ in _LEADING or first.tag_ == "PRP$" or first.is_stop or first.lower_ in NEWS_STOP_WORDS


def _parts(tokens: list) -> list[list]:
    """A chunk's runs of proper nouns and its closing compound of common nouns."""
    parts, run = [], []
    for token in tokens:
        if token.pos_ == "PROPN":
            run.append(token)
        else:
            if run:
                parts.append(run)
            run = []
    if run:
        parts.append(run)
    tail: list = []
    for token in reversed(tokens):
        if token.pos_ != "NOUN":
            break
        tail.insert(0, token)
    return [part for part in parts + [tail] if part]


def _phrase(tokens: list) -> Phrase:
    text = "".join(t.text_with_ws for t in tokens).strip()
    key = " ".join((t.lemma_ or t.text).lower() for t in tokens)
    return Phrase(key=key, text=text, proper=all(t.pos_ == "PROPN" for t in tokens))


def _unique(phrases: Iterable[Phrase]) -> list[Phrase]:
    seen: dict[str, Phrase] = {}
    for phrase in phrases:
        seen.setdefault(phrase.key, phrase)
    return list(seen.values())


def _fallback(headline: str) -> list[Phrase]:
    """Capitalised runs after the headline's first word (which is capitalised anyway)."""
    _, _, rest = headline.partition(" ")
    found = [m.group(0).strip() for m in _CAPITALISED.finditer(rest)]
    return _unique(Phrase(key=text.lower(), text=text, proper=True) for text in found if len(text) > 1)
