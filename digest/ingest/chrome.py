"""Page chrome or article text? A learned line classifier, with the guarantee that prose stays.

Scraped text carries the page around the story: menus, related-story rails, share
buttons, bylines and timestamps, newsletter appeals, tag lists, comment counts,
footers. Each line (a hard-wrapped paragraph counts as one) is scored by a small
gradient-boosted tree ensemble trained on real pages (benchmarks/train_chrome.py
rebuilds it from the shared article-extraction corpus). It reads the line and its
surroundings (chrome_features.py): a short line among paragraphs reads differently
from the same line in a run of menu items, as in jusText's context revision.

Losing a sentence of the story is far worse than keeping a line of chrome, so the
decision threshold is set for that (see the training script), and two rules stand
above the model: a line that is plainly a paragraph of prose or a whole sentence is never
dropped, and a line the precise rules in boilerplate.py recognise ("Share",
"Advertisement", "© 2025 …", a line of nothing but a byline and a timestamp) always is; so is a line of the
site's template (one that other seeds of the site hold too, template.py) that is not protected. A subheading
of the story (a short phrase over a paragraph, or between the story's paragraphs) is kept unless the model is
all but sure it is chrome: a related-story rail's headlines take that place too. Inference is numpy only: no
scikit-learn at ingest.
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .boilerplate import chrome_category
from .chrome_features import CUE_OPENING, FEATURES, STOPWORDS, join_wrapped
from .chrome_features import features as block_features
from .nlp import pos_tags
from .template import in_template

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "chrome_model.json"

GUARD_WORDS = 25  # a paragraph this long, made of sentences, is never chrome
GUARD_SENTENCES = 2
SENTENCE_WORDS = 4
SUBHEADING_WORDS = 12
_NOT_HEADING = re.compile(r"[.!?:;,…|/()\d@©]")
PROMPTS = {"appeal", "share", "comments", "advert", "footer"}  # kinds of chrome that speak in whole sentences
# Starts as a sentence starts, ends as one ends (not "…", which cuts a teaser short).
_SENTENCE_SHAPE = re.compile(r"^[\"“‘(]?[A-Z0-9].*(?<!\.\.)[.!?][\"”’)\]]*$")


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees, all nodes in flat arrays (leaves have left == -1)."""

    base: float  # the prior log-odds
    rate: float  # the learning rate the trees' leaf values are scaled by
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    def log_odds(self, rows: np.ndarray) -> np.ndarray:
        """Every tree at once: each step moves every (row, tree) pair one level down."""
        if len(rows) == 0:
            return np.zeros(0)
        rows = np.asarray(rows, dtype=np.float32)  # scikit-learn's trees split on float32 values
        nodes = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        line = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            leaf = self.left[nodes] < 0
            go_left = rows[line, self.feature[nodes]] <= self.threshold[nodes]
            nodes = np.where(leaf, nodes, np.where(go_left, self.left[nodes], self.right[nodes]))
        return self.base + self.rate * self.value[nodes].sum(axis=1)

    @classmethod
    def from_dict(cls, data: dict) -> "Trees":
        arrays = {key: np.asarray(data[key]) for key in ("roots", "feature", "left", "right")}
        return cls(
            base=float(data["base"]),
            rate=float(data["rate"]),
            threshold=np.asarray(data["threshold"], dtype=float),
            value=np.asarray(data["value"], dtype=float),
            depth=int(data["depth"]),
            **{key: value.astype(np.int64) for key, value in arrays.items()},
        )

    def to_dict(self) -> dict:
        return {
            "base": self.base,
            "rate": self.rate,
            "depth": self.depth,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),  # exact: a rounded split point could move a line
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": [float(f"{v:.6g}") for v in self.value],
        }


@dataclass(frozen=True)
class ChromeModel:
    features: tuple[str, ...]  # the names the trees were trained on, in order
    trees: Trees
    threshold: float  # below this probability of being article text, a line is chrome
    notes: dict  # how it was made: corpus, folds, cross-validated figures
    heading_floor: float = 0.0  # a subheading by position (see `protection`) goes only below this

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "trees": self.trees.to_dict(),
                "threshold": self.threshold,
                "heading_floor": self.heading_floor,
                "notes": self.notes,
            },
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "ChromeModel":
        data = json.loads(text)
        return cls(
            tuple(data["features"]),
            Trees.from_dict(data["trees"]),
            float(data["threshold"]),
            data.get("notes", {}),
            float(data.get("heading_floor", 0.0)),
        )


@functools.cache
def default_model() -> ChromeModel:
    """The model shipped in digest/data (read once per process)."""
    model = ChromeModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))
    if model.features != FEATURES:
        raise RuntimeError(f"{MODEL_FILE} was trained on other features; rebuild it (benchmarks/train_chrome.py)")
    return model


def article_probability(
    texts: Sequence[str],
    model: ChromeModel,
    rules: Optional[Sequence[bool]] = None,
    shared: Optional[Sequence[bool]] = None,
) -> np.ndarray:
    """For each block, the model's probability that it is article text."""
    return _sigmoid(model.trees.log_odds(block_features(texts, rules, shared)))


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def is_sentence(text: str) -> bool:
    """A whole sentence of ordinary words ("He declined to comment."): the story's, unless it
    opens like a prompt ("Sign up …", "Join the conversation.", "Share …") — or whatever its words,
    when it reports what someone did (see `reports`)."""
    words = text.split()
    if len(words) < SENTENCE_WORDS or not _SENTENCE_SHAPE.search(text):
        return False
    function_words = sum(1 for word in words if word.strip('.,;:!?"“”‘’()«»').casefold() in STOPWORDS)
    opening = CUE_OPENING.match(text)
    if function_words / len(words) >= 0.15 and (opening is None or opening.lastgroup not in PROMPTS):
        return True
    return reports(text)


def reports(text: str) -> bool:
    """A sentence with a verb in the past tense ("Share prices fell sharply."): it reports. A prompt
    tells the reader what to do ("Share this story.", "Sign up for …"), never what was done. Without
    the language model, no line is taken for a report."""
    tags = pos_tags(text)
    return tags is not None and "VBD" in tags


def protected(text: str) -> bool:
    """Never chrome, whatever the model says: a paragraph, a sentence, or sentences."""
    return is_paragraph(text) or is_sentence(text) or are_sentences(text)


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])")


def are_sentences(text: str) -> bool:
    """Two or more whole sentences, each of a few words, whatever words they use: prompts speak in one
    short sentence, and a line of several is a story's even when its words are chrome's ("Share prices
    fell. Shares in …"). Losing such a line costs more than keeping a line of chrome."""
    pieces = _SENTENCE_SPLIT.split(text.strip())
    return len(pieces) >= GUARD_SENTENCES and all(
        len(piece.split()) >= SENTENCE_WORDS and _SENTENCE_SHAPE.search(piece) for piece in pieces
    )


# What protects a block, if anything (`protection`): nothing, its place as the story's subheading, or its text.
UNPROTECTED, HEADING, TEXT = 0, 1, 2
# What `fixed_blocks` settles for a block before the model reads it.
DROPPED, OPEN, KEPT, FLOORED = -1, 0, 1, 2


def protected_blocks(texts: Sequence[str], rules: Optional[Sequence[bool]] = None) -> list[bool]:
    """`protected` for each block, and the subheadings of the story (see `protection`)."""
    return [kind != UNPROTECTED for kind in protection(texts, rules)]


def protection(texts: Sequence[str], rules: Optional[Sequence[bool]] = None) -> list[int]:
    """Per block, TEXT when `protected`, HEADING when it is a subheading of the story, else UNPROTECTED.
    A section of the story keeps its heading even where chrome stands around it: a subheading is the
    story's when the next block no precise rule drops (`rules`) is protected, or when it stands inside
    the story, between protected blocks, whatever chrome a page put between it and its paragraph."""
    rules = rules if rules is not None else [chrome_category(text) is not None for text in texts]
    kept = [protected(text) for text in texts]
    above = list(itertools.accumulate(kept, operator.or_, initial=False))[:-1]
    below = list(itertools.accumulate(reversed(kept), operator.or_, initial=False))[:-1][::-1]
    kinds = [TEXT if keep else UNPROTECTED for keep in kept]
    following = False  # the next block no rule drops is a protected one
    for index in range(len(texts) - 1, -1, -1):
        if rules[index]:
            continue
        inside = above[index] and below[index]
        if not kept[index] and (following or inside) and is_subheading(texts[index]):
            kinds[index] = HEADING
        following = kept[index]
    return kinds


def is_subheading(text: str) -> bool:
    """A short phrase of ordinary words, no end mark, no digits, links, credits or separators
    ("Who will run it", "What the council decided"), not a caption's "Courtesy Google"."""
    words = text.split()
    if not 2 <= len(words) <= SUBHEADING_WORDS or not text[:1].isupper() or _NOT_HEADING.search(text):
        return False
    return any(word.casefold() in STOPWORDS for word in words)


def is_paragraph(text: str) -> bool:
    """Plainly prose: several sentences, or one long one made of ordinary words. Never dropped."""
    words = text.split()
    if len(words) < GUARD_WORDS:
        return False
    ends = 0
    for word in words:  # a paragraph's second sentence settles it: the rest of a long one is not read
        if word.rstrip('"”’)»]').endswith((".", "!", "?", "…")):
            ends += 1
            if ends >= GUARD_SENTENCES:
                return True
    function_words = sum(1 for word in words if word.strip('.,;:!?"“”‘’()«»').casefold() in STOPWORDS)
    return ends >= 1 and function_words / len(words) >= 0.2


def chrome_mask(
    lines: Sequence[str], model: Optional[ChromeModel] = None, template: frozenset[int] = frozenset()
) -> list[bool]:
    """For each line, whether it is page chrome (blank lines are not); `template`: the keys of the
    lines other seeds of the site hold too (template.py). The model never takes a text's last words:
    when it would leave nothing but what the precise rules drop, its doubts are kept."""
    model = model or default_model()
    blocks = join_wrapped(lines)
    mask = [False] * len(lines)
    if not blocks.texts:
        return mask
    rules = [chrome_category(text) is not None for text in blocks.texts]
    shared = in_template([[lines[index] for index in members] for members in blocks.members], template)
    probability = article_probability(blocks.texts, model, rules, shared)
    fixed = fixed_blocks(blocks.texts, rules, shared)
    chrome = list(decide_chrome(probability, np.array(fixed), model.threshold, model.heading_floor))
    if all(chrome):
        chrome = rules
    for members, is_chrome in zip(blocks.members, chrome):
        if is_chrome:
            for index in members:
                mask[index] = True
    return mask


def fixed_blocks(texts: Sequence[str], rules: Sequence[bool], shared: Sequence[bool]) -> list[int]:
    """Per block, what is settled before the model reads it: DROPPED (a precise rule's line, or a line
    of the site's template that the story does not need), KEPT (a paragraph or a sentence), FLOORED
    (a subheading by its place: see `protection`), OPEN (the model's to decide). A precise rule
    outranks protection; protection outranks the template."""
    kinds = protection(texts, rules)
    return [
        DROPPED if rule else KEPT if kind == TEXT else FLOORED if kind == HEADING else DROPPED if site else OPEN
        for rule, kind, site in zip(rules, kinds, shared)
    ]


def decide_chrome(probability: np.ndarray, fixed: np.ndarray, threshold: float, floor: float) -> np.ndarray:
    """Which blocks are chrome. A subheading by its place is kept unless the model is all but sure it is
    chrome (a probability below `floor`, far below `threshold`): related-story rails stand between
    paragraphs in headlines shaped like a story's subheadings, and its place alone cannot tell them apart."""
    return (
        (fixed == DROPPED)
        | ((fixed == OPEN) & (probability < threshold))
        | ((fixed == FLOORED) & (probability < floor))
    )


def drop_chrome(lines: Sequence[str], model: Optional[ChromeModel] = None) -> list[str]:
    """The lines that are not page chrome, blank lines kept where they were."""
    return [line for line, chrome in zip(lines, chrome_mask(lines, model)) if not chrome]
