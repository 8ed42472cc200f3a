"""Digest names an editor could publish, and unique slugs.

A name is a short noun phrase drawn from what the digest's articles share:
1. candidates: the noun phrases of the headlines of its most central articles
   (phrases.py), and its articles' tags: names (people, places, organisations)
   and topic labels ("Technology", the general topics ingest adds: a topic,
   never listed as a name);
2. each candidate is scored c-TF-IDF style: the share of the digest's articles that
   say it (headline or summary; a tag: the share carrying it), more for headlines,
   times how few other digests share it as much, times how rare its words are in
   the rest of the corpus (so "people" or "the government" never win);
3. the best phrase is the name; a topic phrase ("video games") is followed by the
   one or two names most of the articles share ("Video games: Sony and Nintendo"),
   a name by nothing, and nothing is ever a list of loose words. At most
   MAX_NAME_WORDS words and MAX_NAME characters.

A digest of one story is named by its headline. Ranking rounds scores and breaks
ties by the phrase itself, so the same articles give the same name.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..model import Article, slugify
from .listing import MAX_NAME, headline_name, tag_counts
from .phrases import Phrase, headline_phrases

NAME_SAMPLE = 12  # headlines parsed per digest: its most central articles
MAX_NAME_WORDS = 7
MIN_SHARE = 0.34  # a name is said by at least a third of the digest's articles…
MIN_SUPPORT = 2  # …and by two of them at least
NAMES_SHARE = 0.5  # names after a topic phrase: carried by at least half of the articles
PROPER_ALONE = 0.75  # a name alone names a digest when nearly all of its articles are about it
MIN_SPECIFIC = 0.3  # a word in most articles elsewhere too (rarity below this) does not lead a name
LONGER_SHARE = 0.6  # a longer phrase said by this share of a shorter one's articles stands for it
SPREAD_SHARE = 0.25  # a phrase this common in another digest is shared with it
HEADLINE_WEIGHT = 0.5
LABEL_WEIGHT = 0.5
SLUG_LENGTH = 60
ALSO_IN_THE_NEWS = "Also in the news"
TOPICS = Path(__file__).resolve().parent.parent / "data" / "topics.yaml"


# ---------------------------------------------------------------- candidates


@dataclass
class Candidate:
    key: str
    proper: bool
    forms: Counter = field(default_factory=Counter)  # how the articles write it
    headlines: int = 0  # sampled articles whose headline says it
    said: int = 0  # sampled articles whose headline or summary says it
    tagged: float = 0.0  # share of all the digest's articles carrying it as a tag
    specific: float = 1.0  # how rare its words are outside the digest, 0 to 1 (set when ranked)

    @property
    def text(self) -> str:
        return min(self.forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass
class Evidence:
    """One digest's candidates, from `sample` (its most central articles) and all its `members`."""

    sample: list[Article]
    members: list[Article]
    candidates: dict[str, Candidate]
    texts: list[str]  # each sampled article's headline and summary, case-folded

    def share(self, candidate: Candidate) -> float:
        return max(candidate.said / len(self.sample), candidate.tagged)

    def supported(self, candidate: Candidate) -> bool:
        support = max(candidate.said, round(candidate.tagged * len(self.members)))
        return support >= min(MIN_SUPPORT, len(self.members)) and self.share(candidate) >= MIN_SHARE


def gather(sample: list[Article], members: list[Article], phrases: list[list[Phrase]]) -> Evidence:
    """`phrases`: those of each sampled article's headline."""
    candidates: dict[str, Candidate] = {}
    for found in phrases:
        for phrase in found:
            candidate = candidates.setdefault(phrase.key, Candidate(phrase.key, phrase.proper))
            candidate.proper = candidate.proper or phrase.proper
            candidate.forms[phrase.text] += 1
            candidate.headlines += 1
    needed = max(min(MIN_SUPPORT, len(members)), MIN_SHARE * len(members))
    for tag, count in tag_counts(members):
        if count < needed:
            break  # most common first: no later tag is carried widely enough to name the digest
        candidate = candidates.setdefault(tag.casefold(), Candidate(tag.casefold(), False))
        candidate.forms[tag] += len(members)  # the editor's spelling wins
        candidate.tagged = count / len(members)
        candidate.proper = candidate.proper or _a_name(tag)
    surnames = _fold_surnames(candidates)
    titles = [a.title.casefold() for a in sample]
    texts = [f"{a.title}\n{a.summary or a.body[:600]}".casefold() for a in sample]
    for candidate in candidates.values():
        pattern = _pattern(
            {candidate.key, *(form.casefold() for form in candidate.forms), *surnames.get(candidate.key, ())}
        )
        candidate.said = sum(1 for text in texts if pattern.search(text))
        candidate.headlines = sum(1 for title in titles if pattern.search(title))
    return Evidence(sample, members, candidates, texts)


def _fold_surnames(candidates: dict[str, Candidate]) -> dict[str, set[str]]:
    """A headline's "Blair" is the tag "Tony Blair": one candidate, under the full name.
    Returns full name's key → the short forms folded into it (which also count as saying it)."""
    full: dict[str, Candidate] = {}
    for c in candidates.values():
        if c.tagged and c.proper and " " in c.key:
            full.setdefault(c.key.rsplit(" ", 1)[1], c)
    folded: dict[str, set[str]] = {}
    for key in [k for k, c in candidates.items() if " " not in k and not c.tagged and k in full]:
        candidates.pop(key)
        folded.setdefault(full[key].key, set()).add(key)
    return folded


def _a_name(tag: str) -> bool:
    """Whether a tag names someone or something ("Labour", "Cairn Energy"), not a topic label of
    the kind ingest adds ("Technology", "Business and markets")."""
    return tag.casefold() not in topic_labels()


@functools.cache
def topic_labels() -> frozenset[str]:
    """The topic labels ingest gives (digest/data/topics.yaml), case-folded."""
    try:
        lexicon = yaml.safe_load(TOPICS.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return frozenset()
    return frozenset(str(label).casefold() for label in lexicon) if isinstance(lexicon, dict) else frozenset()


def _pattern(forms: set[str]) -> re.Pattern[str]:
    # A trailing "s" is optional, so "game" finds "games": lemmas and plurals meet.
    alternatives = sorted((re.escape(form) + "s?" for form in forms if form), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


# ---------------------------------------------------------------- scoring and names


Rarity = Callable[[str], float]  # a word → how rare it is outside the digest, 0 (everywhere) to 1 (nowhere)


def name_digests(evidence: list[Evidence], rarities: list[Rarity]) -> list[list[str]]:
    """Names for each digest's evidence, best first, from its own phrases scored against the others'."""
    spread: Counter[str] = Counter()
    for digest in evidence:
        spread.update(key for key, c in digest.candidates.items() if digest.share(c) >= SPREAD_SHARE)
    total = len(evidence)
    return [_names(digest, spread, total, rarity) for digest, rarity in zip(evidence, rarities)]


def _names(digest: Evidence, spread: Counter, total: int, rarity: Rarity) -> list[str]:
    """Names to choose from, best first. A topic most headlines share, as the articles write it with
    its name ("Premier League title") or followed by the names ("Video games: Sony and Nintendo");
    else the one or two names most headlines carry ("Australian Open", "Donald Trump and Vladimir
    Putin"); else a topic label and names; then the rest; with nothing shared, the central headline."""
    ranked = _ranked_candidates(digest, spread, total, rarity)
    wide = [c for c in ranked if digest.share(c) >= NAMES_SHARE]
    # What most headlines say, unless the rest of the corpus says it as much ("future", "plans")
    leading = [c for c in wide if c.headlines >= NAMES_SHARE * len(digest.sample) and c.specific >= MIN_SPECIFIC]
    heads = [c for c in leading if c.proper and not _within(c, wide)]
    topics = [c for c in leading if not c.proper and not c.tagged]
    labels = [c for c in wide if not c.proper and c.tagged]
    options = []
    for topic in topics[:1]:
        options += [_capitalise(p) for p in _written_together(heads, topic, digest.texts)]
        options.append(_with_names(_capitalise(topic.text), [c.text for c in _names_for(topic, wide)]))
    if heads:
        options.append(_with_names(_capitalise(heads[0].text), [c.text for c in heads[1:2]], joined=True))
        options.append(_capitalise(heads[0].text))
    for label in labels[:1]:
        options.append(_with_names(_capitalise(label.text), [c.text for c in _names_for(label, wide)]))
    options += [_capitalise(c.text) for c in ranked]
    options.append(headline_name(central_headline(digest.sample)))
    return list(dict.fromkeys(options))


def _written_together(names: list[Candidate], topic: Candidate, texts: list[str]) -> list[str]:
    """ "Premier League title": a leading name right before the topic, as some article writes it."""
    found = []
    for name in names[:2]:
        if _overlaps(name, topic):
            continue
        pattern = re.compile(
            r"(?<!\w)(" + re.escape(name.text.casefold()) + r"\s+" + re.escape(topic.text.casefold()) + r")s?(?!\w)"
        )
        if any(pattern.search(text) for text in texts):
            found.append(f"{name.text} {topic.text}")
    return found


def _names_for(topic: Candidate, wide: list[Candidate]) -> list[Candidate]:
    """Up to two names most articles carry and some headline says, none a part of another or of the topic."""
    names: list[Candidate] = []
    for c in wide:
        carried = c.proper and c.tagged >= NAMES_SHARE and c.headlines and not _within(c, wide)
        if carried and not any(_overlaps(c, other) for other in [topic, *names]):
            names.append(c)
    return names[:2]


def _within(candidate: Candidate, others: list[Candidate]) -> bool:
    """Part of a longer name as widely carried ("Cairn" of "Cairn Energy")."""
    words = f" {candidate.key} "
    return any(
        o is not candidate and o.proper and words in f" {o.key} " and o.tagged >= candidate.tagged for o in others
    )


def _ranked_candidates(digest: Evidence, spread: Counter, total: int, rarity: Rarity) -> list[Candidate]:
    scored = []
    for candidate in digest.candidates.values():
        if not digest.supported(candidate) or len(candidate.text) > MAX_NAME:
            continue
        share = digest.share(candidate) + HEADLINE_WEIGHT * candidate.headlines / len(digest.sample)
        others = max(1, spread[candidate.key])
        exclusive = math.log(1 + total / others) / math.log(1 + total)
        words = candidate.key.split()
        candidate.specific = sum(rarity(w) for w in words) / len(words)
        score = share * exclusive * (0.25 + 0.75 * candidate.specific)
        if not candidate.proper and not candidate.headlines:
            score *= LABEL_WEIGHT  # a topic label: telling only when nothing more specific is shared
        scored.append((-round(score, 3), -len(words), candidate.key, candidate))
    ranked = [candidate for *_, candidate in sorted(scored)]
    return [c for c in ranked if not _said_longer(c, ranked, digest)]


def _said_longer(candidate: Candidate, ranked: list[Candidate], digest: Evidence) -> bool:
    """Whether a longer phrase containing it is said nearly as widely ("box office" for "box",
    "Bank of England" for "Bank")."""
    words = f" {candidate.key} "
    if candidate.proper and candidate.tagged:
        return False  # a name in its own right ("Putin" of "President Putin")
    return any(
        o is not candidate
        and words in f" {o.key} "
        and digest.share(o) >= LONGER_SHARE * digest.share(candidate)
        and (o.proper or not candidate.proper)
        for o in ranked
    )


def _overlaps(a: Candidate, b: Candidate) -> bool:
    def words(c: Candidate) -> set[str]:
        return {w.rstrip("s") for text in (c.key, c.text.casefold()) for w in text.split()}

    return bool(words(a) & words(b))


def _with_names(topic: str, names: list[str], joined: bool = False) -> str:
    """ "Video games: Sony and Nintendo" ("Sony and Nintendo" when `joined`), or the topic alone
    when the names make it too long."""
    for count in (2, 1):
        if len(names) >= count:
            listed = " and ".join(names[:count])
            name = f"{topic} and {listed}" if joined else f"{topic}: {listed}"
            if len(name) <= MAX_NAME and len(name.split()) <= MAX_NAME_WORDS:
                return name
    return topic


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def central_headline(sample: list[Article]) -> str:
    return sample[0].title if sample else ""


def evidence_for(samples: list[list[Article]], members: list[list[Article]]) -> list[Evidence]:
    """Every digest's evidence, its sampled headlines parsed in one pass."""
    flat = [a.title for sample in samples for a in sample]
    parsed = iter(headline_phrases(flat))
    return [gather(sample, group, [next(parsed) for _ in sample]) for sample, group in zip(samples, members)]


def unique_slugs(names: list[str], taken: set[str]) -> list[str]:
    """slugify(name), with -2, -3… for a slug already used (earlier names win: callers order them intrinsically)."""
    used = set(taken)
    slugs = []
    for name in names:
        slugs.append(unique_slug(slugify(name, max_length=SLUG_LENGTH), used))
    return slugs


def unique_slug(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`…: the first not in `used` (which it is then added to)."""
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    used.add(slug)
    return slug


def unique_names(options: list[list[str]]) -> list[str]:
    """Each digest's first option no earlier digest has taken (its first when all are taken)."""
    taken: set[str] = set()
    result = []
    for choices in options:
        name = next((n for n in choices if n.casefold() not in taken), choices[0])
        taken.add(name.casefold())
        result.append(name)
    return result
