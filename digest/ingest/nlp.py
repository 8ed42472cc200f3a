"""spaCy's small English pipeline, loaded once per process, for the jobs ingest has for it.

Tagging needs named entities of a few hundred characters per article; writing a
headline needs the parse of one lead sentence; telling a report from a prompt needs
the part-of-speech tags of one line. The model's entity recogniser has its own token
encoder, so each job runs only the parts it reads: entities skip the tagger and
parser, part-of-speech tags skip the parser and the recogniser.

The model's matrix products run on numpy's BLAS (OpenBLAS) in one thread: thinc's
BLIS build runs its generic kernels here, several times slower on the token encoders,
and a second BLAS thread only spins waiting for a core another worker is using. The
answers are the same (tests/test_nlp_model.py); benchmarks/ingest_speed.py measures.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..language import GROUPING_ONLY, english

_ENTITIES_ONLY = ["tok2vec", "tagger", "parser", *GROUPING_ONLY]  # the recogniser has an encoder of its own
_TAGS_ONLY = ["parser", "ner", *GROUPING_ONLY]
# Texts the recogniser decodes together: the fastest size measured (benchmarks/ingest_speed.py
# --ner-batches); batches of a few hundred take a third longer an article.
NER_BATCH = 16


@dataclass(frozen=True)
class Model:
    nlp: Any  # spacy.Language
    blas: Any  # threadpoolctl.ThreadpoolController

    def __call__(self, text: str, disable: Optional[list[str]] = None) -> Any:
        """The Doc of `text`, the `disable`d parts of the pipeline skipped, on one BLAS thread."""
        with self.blas.limit(limits=1, user_api="blas"):
            return self.nlp(text, disable=disable or list(GROUPING_ONLY))

    def many(self, texts: Sequence[str], batch_size: int = NER_BATCH) -> list[Any]:
        """The entity-only Docs of `texts`, read in batches: the recogniser's step-by-step decoding then
        works on a batch's texts at once, each of its small matrix products serving them all (a third
        less time a text than one by one). The entities are the same either way."""
        with self.blas.limit(limits=1, user_api="blas"):
            return list(self.nlp.pipe(texts, batch_size=batch_size, disable=_ENTITIES_ONLY))


@functools.cache
def load_model() -> Optional[Model]:
    """The shared pipeline (language.english) as ingest runs it; None when the model is not installed."""
    nlp = english()
    if nlp is None:  # callers fall back to rules
        return None
    from threadpoolctl import ThreadpoolController

    return Model(nlp, ThreadpoolController())


Entity = tuple[str, str, int, int]  # text, label, start, end


def entities(text: str) -> list[Entity] | None:
    """(text, label, start, end) of each named entity; None without a model."""
    found = entities_of_many([text])
    return None if found is None else found[0]


def entities_of_many(texts: Sequence[str]) -> list[list[Entity]] | None:
    """The entities of each text, the texts read as one batch; None without a model."""
    model = load_model()
    if model is None:
        return None
    return [[(ent.text, ent.label_, ent.start_char, ent.end_char) for ent in doc.ents] for doc in model.many(texts)]


def parse(sentence: str) -> Any:
    """A parsed Doc (tags, dependencies and entities) of one sentence; None without a model."""
    model = load_model()
    return None if model is None else model(sentence)


def pos_tags(text: str) -> list[str] | None:
    """The Penn Treebank tag of each token ("VBD": a verb in the past tense); None without a model."""
    model = load_model()
    return None if model is None else [token.tag_ for token in model(text, _TAGS_ONLY)]
