"""Tags: the people, organisations and places an article is about, one spelling each.

Entities are found by spaCy's small English model (run on the lead only: that is
where a story names what it is about, and it keeps ingest fast), then every
mention in the whole text is counted. Spellings merge by a normalised key
(accents, doubled letters and -y/-i endings do not matter, so Zelensky and
Zelenskyy, Yury and Yuri are one), a lone surname joins the full name it
abbreviates, and the editor's aliases in digest.yaml merge the rest.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Optional

from text_unidecode import unidecode

from .dates import ZONE_AFTER_TIME, is_date_word
from .nlp import Entity, entities_of_many

NER_CHARS = 600  # the lead: where a story says what it is about
LATER_CHARS = 400  # then sentences that name someone new; together cheap enough for 50 articles/s
KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "EVENT", "FAC", "LAW", "MISC"}

BUILTIN_ALIASES = {
    "United States": ["U.S.", "US", "USA", "U.S.A.", "United States of America"],
    "United Kingdom": ["UK", "U.K.", "Britain", "Great Britain"],
    "United Nations": ["UN", "U.N."],
    "European Union": ["EU", "E.U."],
    "NATO": ["Nato", "North Atlantic Treaty Organization"],
}

_TITLES = (
    "president|vice president|prime minister|deputy prime minister|foreign minister|defence minister|"
    "defense minister|minister|secretary|secretary of state|secretary-general|chancellor|senator|sen\\.|"
    "rep\\.|representative|governor|gov\\.|mayor|king|queen|prince|princess|pope|ambassador|envoy|general|"
    "gen\\.|colonel|col\\.|captain|capt\\.|judge|justice|chief|chairman|chairwoman|chair|ceo|director|"
    "spokesman|spokeswoman|spokesperson|aide|adviser|advisor|press secretary|speaker|leader|dictator|"
    "mr\\.?|mrs\\.?|ms\\.?|dr\\.?|prof\\.?|sir|dame|lord|lady|sheikh|ayatollah|premier|commissioner"
)
_LEADING_TITLE = re.compile(rf"^(?:(?:{_TITLES})\s+)+(?=[A-Z])", re.IGNORECASE)
_STOP = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "tomorrow",
    "president",
    "prime minister",
    "minister",
    "government",
    "state",
    "states",
    "secretary",
    "official",
    "officials",
    "mr",
    "mrs",
    "ms",
    "dr",
    "god",
    "internet",
    "covid",
    "parliament",
    "congress",
    "senate",
    "court",
    "police",
    "army",
    "military",
    "press",
    "media",
    "news",
    "the",
    "a",
    "an",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "but",
    "and",
    "share",
    "advertisement",
    "watch",
    "read more",
    "video",
    "photo",
    "reuters",
    "ap",
    "afp",
}
_LEADING_PREPOSITION = re.compile(
    r"^(?:Across|After|Along|Amid|Around|At|Before|Beyond|By|During|For|From|In|Inside|Near|On|Outside|Over|"
    r"Throughout|Under|Until|With|Within|Without)\s+(?=[A-Z])"
)
_POSSESSIVE = re.compile(r"[’']s?$")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_DOUBLED = re.compile(r"(.)\1+")


@dataclass
class TagResult:
    tags: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # tag -> PERSON/ORG/GPE/… for corpus-wide merging


# ------------------------------------------------------------------ the NER model


def find_entities(text: str, title: str = "") -> list[tuple[str, str]]:
    """(surface text, label) pairs from the lead, and from later sentences that bring in new names."""
    return names_in_samples([ner_sample(text, title)])[0]


def names_in_samples(samples: list[str]) -> list[list[tuple[str, str]]]:
    """(surface text, label) of the names in each `ner_sample`, the samples read by the model as one batch."""
    found_by_model = entities_of_many(samples)
    if found_by_model is None:
        return [_capitalised_phrases(sample) for sample in samples]
    return [_glued(sample, found) for sample, found in zip(samples, found_by_model)]


def _glued(sample: str, found_by_model: list[Entity]) -> list[tuple[str, str]]:
    found: list[tuple[str, str, int]] = []
    for text_, label, start, end in found_by_model:
        if (joined := _HYPHENATED_TAIL.match(sample, end)) is not None:  # "Emilia" + "-Romagna"
            text_, end = text_ + joined.group(0), joined.end()
        # the small model cuts "Ursula von der | Leyen" after a name particle: glue it back
        if found and found[-1][1] == "PERSON" and _PARTICLE_END.search(found[-1][0]) and start <= found[-1][2] + 1:
            found[-1] = (f"{found[-1][0]} {text_}", "PERSON", end)
        else:
            found.append((text_, label, end))
    return [(text_, label) for text_, label, _ in found]


_HYPHENATED_TAIL = re.compile(r"(?:-[A-Z][\w’']*)+")
_PARTICLE_END = re.compile(r"\s(?:von|van|der|den|de|da|di|du|la|le|al|bin|ibn|dos|das|del)$")


_NAME_TOKEN = re.compile(r"(?<=[\w,;:’'\"”)]\s)[A-Z][\w’'-]+")
_WORD_TOKEN = re.compile(r"[A-Z][\w’'-]+")


def ner_sample(text: str, title: str) -> str:
    """The lead, then the later sentences that name someone often mentioned but not in the lead."""
    lead = text[:NER_CHARS]
    cut = lead.rfind(" ")
    lead = lead[:cut] if len(text) > NER_CHARS and cut > 0 else lead
    weight = Counter(_NAME_TOKEN.findall(text))
    weight.update(_WORD_TOKEN.findall(title) * 2)
    known = set(_WORD_TOKEN.findall(lead)) | {word.title() for word in _STOP}
    later = [_around_names(s, known, weight) for s in re.split(r"(?<=[.!?])\s+|\n+", text[len(lead) :]) if s]
    names = [set(_NAME_TOKEN.findall(sentence)) for sentence in later]  # found once, scored on every pass
    picked: set[int] = set()
    budget = LATER_CHARS
    while budget > 0:
        best, best_score = -1, 0
        for index, sentence in enumerate(later):
            if index in picked or len(sentence) > budget:
                continue
            score = sum(weight[name] for name in names[index] - known if weight[name] >= 2)
            if score > best_score:
                best, best_score = index, score
        if best < 0:
            break
        picked.add(best)
        known |= names[best]
        budget -= len(later[best])
    return "\n\n".join([lead, *(later[index] for index in sorted(picked))])


_CAPITALISED = re.compile(
    r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]+(?:\s+(?:of\s+|the\s+|de\s+|al-)?[A-Z][\w’'-]+)*", re.MULTILINE
)


def _around_names(sentence: str, known: set[str], weight: Counter, width: int = 200) -> str:
    """A long sentence shrinks to the words around its first new, repeated name: that is what NER needs."""
    if len(sentence) <= width:
        return sentence
    for match in _NAME_TOKEN.finditer(sentence):
        if match.group(0) not in known and weight[match.group(0)] >= 2:
            start = sentence.rfind(" ", 0, max(0, match.start() - width // 2)) + 1
            end = sentence.find(" ", min(len(sentence), match.end() + width // 2))
            return sentence[start : end if end > 0 else len(sentence)]
    return sentence


def _capitalised_phrases(text: str) -> list[tuple[str, str]]:
    """Without a model: capitalised phrases that do not start a sentence."""
    return [(match.group(0), "MISC") for match in _CAPITALISED.finditer(text)]


# ------------------------------------------------------------------ keys and cleaning


@functools.lru_cache(maxsize=65536)  # the corpus step asks for the same few thousand names again and again
def tag_key(text: str) -> str:
    """Spelling-insensitive key: Zelenskyy/Zelensky, Yury/Yuri, U.S./US all collide."""
    ascii_text = unidecode(text).lower().replace(".", "")
    tokens = re.findall(r"[a-z0-9]+", ascii_text)
    return " ".join(_DOUBLED.sub(r"\1", token.replace("y", "i")) for token in tokens)


def clean_entity(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(' \t\n.,;:!?"“”‘’()[]-–—')
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = _LEADING_PREPOSITION.sub("", text)  # "Across Europe": the sentence's first word, capitalised
    text = _POSSESSIVE.sub("", text) if re.search(r"[’']s?$", text) and len(text) > 3 else text
    text = _LEADING_TITLE.sub("", text)
    return text.strip(" .,;:-–—’'")


def alias_map(aliases: dict[str, list[str]]) -> dict[str, str]:
    """key of every spelling → canonical spelling; the editor's list wins over the built-in one."""
    mapping: dict[str, str] = {}
    for table in (BUILTIN_ALIASES, aliases):
        for canonical, others in table.items():
            for spelling in [canonical, *others]:
                mapping[tag_key(spelling)] = canonical
    return mapping


def _usable(text: str, stop: set[str]) -> bool:
    """A name worth a tag page: not a date or time word the model mislabelled ("GMT", "Tues"), not markup."""
    if not text or len(text) > 60 or not _HAS_LETTER.search(text) or not text[:1].isupper() and not text[:1].isdigit():
        return False
    if len(text.split()) > 5 or text.lower() in stop or tag_key(text) in stop or _MARKUP.search(text):
        return False
    return not text.isdigit() and not is_date_word(text)


_MARKUP = re.compile(r"[<>{}/\\]|&(?:#\w+|[a-z]{2,8})\b;?")


# ------------------------------------------------------------------ one article


@dataclass
class _Group:
    key: str
    forms: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    count: int = 0
    first: int = 1 << 30
    cited: int = 0  # mentions that only attribute a quote ("told the BBC", "The Hill reported")
    canonical: str = ""  # the alias list's spelling, shown whatever the text wrote

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0] if self.labels else "MISC"

    def display(self) -> str:
        if self.canonical:
            return self.canonical
        forms = self.forms.most_common()
        multi = [form for form, _ in forms if " " in form]
        if self.label == "PERSON" and multi:  # the full name, not the surname alone
            return max(multi, key=lambda form: (self.forms[form], len(form)))
        return max((form for form, _ in forms), key=lambda form: (self.forms[form], len(form)))


def article_tags(
    title: str,
    body: str,
    *,
    aliases: dict[str, str],
    stop: Iterable[str] = (),
    limit: int = 8,
    publisher: str = "",
    names: Optional[list[tuple[str, str]]] = None,
) -> TagResult:
    """The article's tags, most mentioned first. `names`: those found in `ner_sample(body, title)`
    already (`names_in_samples`, for many articles at once); else they are found here."""
    stop_set = _STOP | {word.lower() for word in stop} | {tag_key(word) for word in stop}
    if publisher:
        stop_set |= {publisher.lower(), tag_key(publisher)}
    # a word written after a clock time is that time's zone ("17:00 GMT", "3 p.m. ET"), whatever it is
    stop_set |= {zone.lower() for zone in ZONE_AFTER_TIME.findall(f"{title}\n{body}")}
    found = find_entities(body, title) if names is None else names
    entities = [(_dateline_case(text, body), label) for text, label in found]
    groups = _group_mentions(entities, aliases, stop_set)
    if not groups or limit <= 0:
        return TagResult()
    _merge_surnames(groups)
    _count_mentions(groups, title, body)
    lead_end = NER_CHARS + len(title)
    ranked = sorted(
        (g for g in groups.values() if (g.count >= 2 or 0 <= g.first < lead_end) and g.cited < g.count),
        key=lambda g: (-g.count, g.first, g.key),
    )
    result = TagResult()
    for group in ranked:
        name = group.display()
        if name not in result.tags and group.count > 0:
            result.tags.append(name)
            result.kinds[name] = group.label
        if len(result.tags) >= limit:
            break
    return result


def _group_mentions(entities: list[tuple[str, str]], aliases: dict[str, str], stop: set[str]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for raw, label in entities:
        if label not in KEPT_LABELS:
            continue
        text = clean_entity(raw)
        if not _usable(text, stop):
            continue
        key = tag_key(text)
        canonical = aliases.get(key)
        if canonical is not None:
            key = tag_key(canonical)
        group = groups.setdefault(key, _Group(key))
        group.forms[text] += 1
        group.labels[label] += 1
        group.canonical = group.canonical or (canonical or "")
    _drop_compounds(groups)
    return groups


def _dateline_case(text: str, body: str) -> str:
    """A dateline's "LONDON" is the London the story writes elsewhere; "NATO" stays an acronym."""
    if (
        text.isupper()
        and len(text) > 3
        and (text.title() in body or " " in text.strip() or body.lstrip().startswith(text))
    ):
        return text.title()
    return text


def _drop_compounds(groups: dict[str, _Group]) -> None:
    """'Zelenskyy-Putin' (as in "the Zelenskyy-Putin talks") is two tags glued, not a third."""
    for key in list(groups):
        forms = [form for form in groups[key].forms if "-" in form]
        parts = [tag_key(part) for part in forms[0].split("-") if part.strip()] if forms else []
        known = [other.split()[-1] for other in groups if other != key]
        if len(parts) >= 2 and all(part in known for part in parts):
            del groups[key]


def _merge_surnames(groups: dict[str, _Group]) -> None:
    """'Putin' joins 'Vladimir Putin'; 'Vladimir Zelensky' joins 'Volodymyr Zelensky' when both are written."""
    people = [g for g in groups.values() if " " in g.key and g.label == "PERSON"]
    by_surname: dict[str, list[_Group]] = {}
    for group in people:
        by_surname.setdefault(group.key.split()[-1], []).append(group)
    for surname, full in by_surname.items():
        target = max(full, key=lambda g: (sum(g.labels.values()), g.key))
        for form in list(target.forms):  # the surname alone is how a story goes on to name them
            if " " in form and form.split()[-1][:1].isupper() and not form.split()[-1].isupper():
                target.forms[form.split()[-1]] += 0
        for other in full:
            if other is not target and same_person(other.key, target.key):
                _absorb(groups, target, other)
        single = groups.get(surname)
        if single is not None and single is not target:
            _absorb(groups, target, single)


def same_person(key_a: str, key_b: str) -> bool:
    """Same surname and first names that are spellings of one name (Vladimir/Volodymyr)."""
    first_a, last_a = key_a.split()[0], key_a.split()[-1]
    first_b, last_b = key_b.split()[0], key_b.split()[-1]
    if last_a != last_b:
        return False
    if first_a == first_b:
        return True
    # transliterations differ inside the name (Vladimir/Volodymyr); Daniel/Danielle differ at the end
    if min(len(first_a), len(first_b)) < 5 or first_a[0] != first_b[0] or first_a[-1] != first_b[-1]:
        return False
    return difflib.SequenceMatcher(None, first_a, first_b).ratio() >= 0.75


def _absorb(groups: dict[str, _Group], target: _Group, other: _Group) -> None:
    target.forms.update({form: 0 for form in other.forms})  # a way to write it, counted below
    target.labels.update(other.labels)
    target.canonical = target.canonical or other.canonical
    groups.pop(other.key, None)


_CITED_BEFORE = re.compile(
    r"\b(?:according to|told|aired on|reported by|interview with|speaking to|speaking with|quoted by|cited by|"
    r"in a statement to|wrote in|writing in|published by|reported in)\s+(?:the\s+)?(?:[\w.-]+['’]s\s+)?(?:state\s+)?$",
    re.IGNORECASE,
)
_CITED_AFTER = re.compile(r"\s*(?:reported|reports|has reported|said in a report|news agency|,? citing)\b")


def _count_mentions(groups: dict[str, _Group], title: str, body: str) -> None:
    """Count every mention of every spelling in the title (twice) and the body, without overlaps."""
    owner: dict[str, _Group] = {}
    for group in groups.values():
        for form in group.forms:
            owner.setdefault(form, group)
        group.forms = Counter({form: 0 for form in group.forms})
    if not owner:
        return
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in sorted(owner, key=len, reverse=True)) + r")(?![\w])"
    )
    text = f"{title}\n{title}\n{body}"
    for match in pattern.finditer(text):
        group = owner[match.group(0)]
        group.count += 1
        group.forms[match.group(0)] += 1
        group.first = min(group.first, match.start())
        if _CITED_BEFORE.search(text, max(0, match.start() - 40), match.start()) or _CITED_AFTER.match(
            text, match.end()
        ):
            group.cited += 1


# ------------------------------------------------------------------ the whole corpus


def canonicalise_corpus(results: list[TagResult], aliases: dict[str, str], limit: int) -> list[list[str]]:
    """One spelling per tag across all articles: the one most articles use."""
    usage: dict[str, Counter] = {}
    kinds: dict[str, Counter] = {}
    for result in results:
        for tag in result.tags:
            key = tag_key(tag)
            usage.setdefault(key, Counter())[tag] += 1
            kinds.setdefault(key, Counter())[result.kinds.get(tag, "MISC")] += 1
    canonical_of = {key: _preferred(forms, aliases) for key, forms in usage.items()}
    people = {key for key, count in kinds.items() if count.most_common(1)[0][0] == "PERSON" and " " in key}
    merged = _corpus_people(people, usage)
    for key, target in merged.items():
        canonical_of[key] = canonical_of[target]
    out = []
    for result in results:
        tags: list[str] = []
        for tag in result.tags:
            name = canonical_of.get(tag_key(tag), tag)
            if name not in tags:
                tags.append(name)
        names = [tag for tag in tags if result.kinds.get(tag) != "TOPIC"]
        out.append(names[:limit] + [tag for tag in tags if result.kinds.get(tag) == "TOPIC"])
    return out


def _preferred(forms: Counter, aliases: dict[str, str]) -> str:
    for form in forms:
        if tag_key(form) in aliases:
            return aliases[tag_key(form)]
    return max(forms, key=lambda form: (forms[form], len(form), form))


def _corpus_people(people: set[str], usage: dict[str, Counter]) -> dict[str, str]:
    """key → key of the person it names: lone surnames and spelling variants of first names."""
    weight = {key: sum(usage[key].values()) for key in usage}
    merged: dict[str, str] = {}
    # same_person needs one surname: each key is compared with the stronger unmerged keys of its surname only
    unmerged: dict[str, list[str]] = defaultdict(list)  # surname → its keys, strongest first
    for key in sorted(people, key=lambda key: (-weight[key], key)):
        candidates = unmerged[key.split()[-1]]
        stronger = next((other for other in candidates if same_person(key, other)), None)
        if stronger is None:
            candidates.append(key)
        else:
            merged[key] = stronger
    for key in usage:
        if " " in key:
            continue
        owners = unmerged.get(key, [])
        if len(owners) == 1:
            merged[key] = owners[0]
    return merged
