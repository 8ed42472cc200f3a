"""A lead sentence shortened to a headline along its parse tree.

A headline must fit (about 90 characters) and read as a whole phrase. Cutting the
sentence where it got long leaves fragments ("Russia is disputing a White House
account"). Two ways keep grammar intact. First choice, the longest opening of the
sentence that is a closed phrase: every word in it has its head and everything it
requires (subject, object, a complement clause) in it too, so only optional
modifiers are cut off ("…on a wildfire | that forced thousands to flee"); it keeps
the writer's own wording. When no such opening is long enough, optional
dependents are deleted wherever they stand. Deletions go cheapest first: brackets and asides, attributions, times and
adverbs, modifying clauses, people's titles, first names, adjectives, phrases
hanging off nouns, then off verbs, then articles (headline style drops "a" and
"the" last). Within a kind, the rightmost phrase goes first: news puts what
matters first. When the sentence fits, deletions are undone again (most
valuable first) while it still fits, so nothing is lost that did not have to be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_SAY_STEMS = (
    "say", "tell", "announce", "state", "confirm", "warn", "claim", "report", "insist", "argue", "add", "note",
    "reveal", "disclose", "declare", "acknowledge", "admit", "explain", "write", "suggest", "predict", "estimate",
)  # fmt: skip
_IRREGULAR_SAYING = {"said", "told", "wrote", "saying", "telling", "writing"}


def _inflections(stem: str) -> set[str]:
    """ "warn" → warn, warns, warned, warning; "state" → states, stated, stating."""
    base = stem[:-1] if stem.endswith("e") else stem
    return {stem, stem + "s", base + "ed", base + "ing"}


# Verbs of saying whose clause is the news: "Peskov said that Putin is ready" → "Putin is ready";
# "…, the agency is warning a committee" is one too.
SAY_VERBS = frozenset(_IRREGULAR_SAYING.union(*(_inflections(stem) for stem in _SAY_STEMS)))
_SPEAKER_PRONOUNS = {"it", "they", "he", "she"}  # "Acme said it…", "A flight attendant says she…"
_SINGLING_OUT = {"first", "last", "only", "next"}
_NEGATIONS = {"not", "n't", "never", "no", "nor"}
FIRST_NAMES = 5  # the cost of dropping first names
_CLAUSE_LABELS = {"advcl", "relcl", "acl", "parataxis"}
_ASIDE_LABELS = {"appos", "parataxis"}
# Dependents a phrase can lose and still be whole; every other relation is required.
_OPTIONAL_DEPS = {
    "prep",
    "advcl",
    "relcl",
    "acl",
    "npadvmod",
    "advmod",
    "appos",
    "parataxis",
    "conj",
    "cc",
    "punct",
    "mark",
    "preconj",
    "intj",
    "meta",
    "dep",
}
_OPEN_ENDINGS = {"IN", "DT", "CC", "TO", "MD", "WDT", "WP", "WRB", "PRP$", "POS", "HYPH", ",", ":"}
_MODIFIER_ONLY = {"advmod", "neg", "punct", "cc", "mark"}
_EMPTY_QUOTES = re.compile(r"\s*(?:\"\s*\"|“\s*”|‘\s*’)(?=[\s,.;:]|$)")
MIN_OPENING_CHARS = 45  # a closed opening shorter than this says too little: delete phrases instead


@dataclass(frozen=True)
class _Deletion:
    cost: int  # lower goes first
    head: int  # the token whose phrase this is
    tokens: frozenset[int]


def compress(doc: Any, limit: int, surnames: frozenset[str] = frozenset()) -> str:
    """The shortest-necessary headline from a parsed sentence: at most `limit` characters when deletions allow.
    `surnames` are the names the story itself uses alone ("Putin said"): only those lose their first names."""
    sentence = next(iter(doc.sents), None) if doc.has_annotation("DEP") else None
    if sentence is None:
        return doc.text.strip()
    clause = frozenset(_news_clause(sentence))
    opening = _closed_opening(doc, clause, limit)
    if opening is not None:
        return opening
    kept = set(clause)
    applied: list[_Deletion] = []
    for deletion in sorted(_deletions(sentence, kept, surnames), key=lambda d: (d.cost, -d.head)):
        if len(_render(doc, kept)) <= limit:
            break
        if deletion.head in kept:
            kept -= deletion.tokens
            applied.append(deletion)
    # Undo what did not have to go, a whole phrase at a time (with what was cut from inside it).
    for deletion in sorted(applied, key=lambda d: (-d.cost, d.head)):
        if deletion.head in kept or not _self_contained(doc[deletion.head]):
            continue
        restored = deletion.tokens & clause
        attached = all(doc[i].head.i in kept or doc[i].head.i in restored for i in restored)
        if attached and len(_render(doc, kept | restored)) <= limit:
            kept |= restored
    return _render(doc, kept)


def _closed_opening(doc: Any, clause: frozenset[int], limit: int) -> str | None:
    """The longest opening of the clause, within `limit`, that is a closed phrase; None if none is long enough."""
    order = sorted(clause)
    for cut in range(len(order), 0, -1):
        opening = set(order[:cut])
        text = _render(doc, opening)
        if len(text) > limit:
            continue
        if len(text) < MIN_OPENING_CHARS:
            return None
        following = doc[order[cut]] if cut < len(order) else None
        if _whole_opening(doc, opening, clause, following):
            return text
    return None


def _whole_opening(doc: Any, opening: set[int], clause: frozenset[int], following: Any) -> bool:
    """The opening reads as a whole phrase: it ends on a word that can end one, cuts no clause, verb or aside
    in half, and keeps every word's head and requirements."""
    last = doc[max(opening)]
    if _open_ending(last) or _starts_clause(following, opening) or _bare_verb(last, opening):
        return False
    return _closed(doc, opening, clause) and not _stranded_verb(opening, doc) and not _open_aside(opening, doc)


def _open_ending(token: Any) -> bool:
    """A word a phrase cannot end on ("among", "the", "and"); a determiner standing as a pronoun can ("among those")."""
    return token.tag_ in _OPEN_ENDINGS and not (token.tag_ == "DT" and token.dep_ in {"pobj", "dobj", "nsubj", "attr"})


def _bare_verb(token: Any, opening: set[int]) -> bool:
    """A verb at the end whose own phrase was cut ("an insult made | to …", "have appeared | before …")."""
    return token.tag_.startswith("V") and any(child.i > token.i and child.i not in opening for child in token.children)


def _open_aside(opening: set[int], doc: Any) -> bool:
    """A phrase set off by a comma that the cut leaves half there (", with figures | showing …")."""
    for index in opening:
        if doc[index].text != "," or index + 1 not in opening:
            continue
        phrase = doc[index + 1]
        while phrase.head.i > index and phrase.head.i != phrase.i:  # up to the phrase's own head
            phrase = phrase.head
        if phrase.head.i > index or phrase.head.i == phrase.i:
            continue  # the main clause after an opening phrase ("In Paris, officials met …"), not an aside
        if any(t.i not in opening for t in phrase.subtree if t.i > index):
            return True
    return False


def _stranded_verb(opening: set[int], doc: Any) -> bool:
    """A verb that kept none of the phrases after it, though it had some ("Newcastle were never really | in …")."""
    for index in opening:
        token = doc[index]
        if not token.tag_.startswith("V"):
            continue
        after = [child for child in token.children if child.i > token.i and child.dep_ not in _MODIFIER_ONLY]
        if after and not any(child.i in opening for child in after):
            return True
    return False


def _starts_clause(token: Any, opening: set[int]) -> bool:
    """The next words are the subject of a clause hanging off the opening with no comma or marker between
    ("…on standby in case | the strike goes ahead"): the cut would split what the writer joined."""
    if token is None or (token.i > 0 and token.doc[token.i - 1].text == ","):
        return False
    for subject in [token, *token.ancestors]:
        if subject.dep_ in {"nsubj", "nsubjpass", "expl"}:
            return next(iter(subject.subtree)).i == token.i and subject.head.head.i in opening
    return False


def _closed(doc: Any, opening: set[int], clause: frozenset[int]) -> bool:
    """Every word's head is inside (or outside the clause), and nothing a word requires is cut off."""
    for index in opening:
        token = doc[index]
        if token.head.i in clause and token.head.i not in opening:
            return False
        for child in token.children:
            if child.i in clause and child.i not in opening and _required(child):
                return False
    return True


def _required(token: Any) -> bool:
    if token.dep_ == "ccomp":  # only a verb's first ccomp: a second one is a misparsed clause
        return next(child for child in token.head.children if child.dep_ == "ccomp").i == token.i
    if token.dep_ in {"acl", "relcl"}:
        return _is_complement_clause(token) or _completes_noun(token)
    if token.dep_ == "conj" and not token.tag_.startswith("V"):
        return True  # "between Manchester United | and the Gunners": a list is not cut short
    if token.dep_ == "prep" and (token.head.dep_ == "prep" or token.lower_ == "of"):
        return True  # "according | to": one preposition in two words; "any chance | of winning": the noun's own
    return token.dep_ not in _OPTIONAL_DEPS


def _self_contained(token: Any) -> bool:
    """A clause that reads on its own once put back: a finite verb needs its subject, a marker or a
    relative word ("pushed it back", stranded by a misparse, does not)."""
    if token.dep_ not in _CLAUSE_LABELS | {"conj"} or token.tag_ not in {"VBD", "VBZ", "VBP"}:
        return True
    return any(child.dep_ in {"nsubj", "nsubjpass", "expl", "mark"} for child in token.children)


def _news_clause(sentence: Any) -> Iterator[int]:
    """The sentence's tokens, or only the reported clause when the main verb is one of saying."""
    root = sentence.root
    if root.text.lower() in SAY_VERBS:
        clauses = [child for child in root.children if child.dep_ == "ccomp"]
        if clauses and _has_subject(clauses[0]) and _complete(clauses[0]):  # a second one is a misparse
            clause = clauses[0]
            yield from _speaker_for_pronoun(root, clause)
            yield from (token.i for token in clause.subtree if not _reporting_only(token, clause))
            return
    yield from (token.i for token in sentence if token.dep_ != "punct" or token.i != sentence.end - 1)


def _speaker_for_pronoun(root: Any, clause: Any) -> Iterator[int]:
    """ "Acme said it had raised $5m" → "Acme had raised $5m": the pronoun stands for the speaker."""
    subject = _subject(clause)
    speaker = _subject(root)
    if subject is None or speaker is None or subject.tag_ != "PRP" or subject.lower_ not in _SPEAKER_PRONOUNS:
        return
    if speaker.i < subject.i:
        asides = {t.i for child in speaker.children if child.dep_ in _ASIDE_LABELS for t in child.subtree}
        yield from (t.i for t in speaker.subtree if t.i not in asides and t.text != ",")


def _reporting_only(token: Any, clause: Any) -> bool:
    """The "that" introducing the reported clause, or the pronoun the speaker replaces."""
    if token.head == clause and token.dep_ == "mark":
        return True
    if token.head != clause or token.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    return token.tag_ == "PRP" and token.lower_ in _SPEAKER_PRONOUNS


def _subject(token: Any) -> Any | None:
    return next((child for child in token.children if child.dep_ in {"nsubj", "nsubjpass"}), None)


def _complete(clause: Any) -> bool:
    """A clause the parser closed properly: it does not stop on a preposition, article or auxiliary
    ("British troops are on", when the parse lost "standby")."""
    last = max(clause.subtree, key=lambda t: t.i)
    return last.tag_ not in {"IN", "DT", "CC", "TO", "MD", "VBZ", "VBP", "VBD", "PRP$"}


def _has_subject(token: Any) -> bool:
    return any(child.dep_ in {"nsubj", "nsubjpass", "expl"} for child in token.children)


def _deletions(sentence: Any, kept: set[int], surnames: frozenset[str]) -> Iterator[_Deletion]:
    yield from _bracketed(sentence)
    first_names = []
    for token in sentence:
        if token.i not in kept or token.dep_ == "ROOT":
            continue
        cost = _cost(token)
        if cost == FIRST_NAMES:
            if token.head.text in surnames:
                first_names.append(token.i)
        elif cost is not None:
            phrase = frozenset(t.i for t in token.subtree) | _commas_around(token) | _conjunction(token)
            yield _Deletion(cost, token.i, phrase)
    if first_names:  # all or none: "Putin and Donald Trump" reads as a slip
        yield _Deletion(FIRST_NAMES, first_names[0], frozenset(first_names))


def _cost(token: Any) -> int | None:
    """How much a headline loses without this token's phrase; None when grammar needs it."""
    dep, head = token.dep_, token.head
    if dep in _ASIDE_LABELS and token.ent_type_ == "PERSON" and head.ent_type_ == "":
        return None  # "chief executive Rick Parry": the name is the news, not an aside
    if dep in _ASIDE_LABELS or (dep == "prep" and token.text.lower() == "according"):
        return 1
    if dep in {"prep", "advcl", "npadvmod"} and _after_comma(token) and _ends_sentence(token):
        return 1  # ", with 50,000 sold in a week": set off by a comma at the end, an aside
    if dep in {"dobj", "npadvmod", "attr"} and _after_comma(token):
        return 1  # a verb's object never follows a comma: ", the smallest rise in years," is an aside
    if _in_hyphenated_word(token):
        return None  # "high-speed" loses neither half
    if dep == "npadvmod" or (dep == "prep" and head.tag_.startswith("V") and _is_time_phrase(token)):
        return 2
    if dep == "advmod" and token.text.lower() not in _NEGATIONS and head.tag_[:1] == "V":
        return 2
    if dep in _CLAUSE_LABELS and not _is_complement_clause(token) and not _completes_noun(token):
        return 3
    if dep == "conj" and token.tag_.startswith("V") and head.tag_.startswith("V"):
        return 3
    return _noun_phrase_cost(token)


def _noun_phrase_cost(token: Any) -> int | None:
    dep, head = token.dep_, token.head
    if head.ent_type_ == "PERSON" and dep in {"compound", "amod", "nmod"} and token.ent_type_ != "PERSON":
        return 4  # "President", "Ukraine President", "Kremlin spokesman" before a name
    if head.ent_type_ == "PERSON" and dep == "compound" and token.ent_type_ == "PERSON" and token.i < head.i:
        return FIRST_NAMES  # a first name: the surname alone names a person in a headline
    if dep == "amod" and token.tag_ == "JJ" and head.tag_.startswith("NN") and head.ent_type_ == "":
        return 6
    if dep == "prep" and head.tag_.startswith("NN") and token.lower_ != "of":  # "part of", "the end of": needed
        return 7
    if dep == "prep" and head.tag_.startswith("V") and _other_complements(token):
        return 8
    if dep == "det" and token.text.lower() in {"a", "an", "the"}:
        return 9
    if dep in {"amod", "poss", "compound", "nummod"} and head.tag_.startswith("NN") and head.ent_type_ == "":
        return 10  # "the state's largest teachers union" → "teachers union" → "union", when nothing else is left
    return None


def _in_hyphenated_word(token: Any) -> bool:
    doc = token.doc
    before = token.i > 0 and doc[token.i - 1].tag_ == "HYPH" and not doc[token.i - 1].whitespace_
    after = token.i + 1 < len(doc) and doc[token.i + 1].tag_ == "HYPH" and not token.whitespace_
    return before or after


def _conjunction(token: Any) -> frozenset[int]:
    """The "and" before a conjoined verb goes with it: "co-produce and star in" → "co-produce"."""
    if token.dep_ != "conj":
        return frozenset()
    return frozenset(
        child.i
        for child in token.head.children
        if child.dep_ in {"cc", "punct"} and child.i < token.i and child.i > token.head.i and child.text != "("
    )


def _completes_noun(token: Any) -> bool:
    """ "the first man to win", "the only team that scored": after first/last/only or a superlative the
    clause completes the noun."""
    if token.dep_ not in {"acl", "relcl"}:
        return False
    return any(child.tag_ in {"JJS", "RBS"} or child.lower_ in _SINGLING_OUT for child in token.head.children)


def _ends_sentence(token: Any) -> bool:
    last = max(t.i for t in token.subtree)
    rest = [t for t in token.doc[last + 1 :] if not t.is_punct]
    return not rest


def _after_comma(token: Any) -> bool:
    first = next(iter(token.subtree))
    return first.i > 0 and token.doc[first.i - 1].text == ","


def _is_time_phrase(token: Any) -> bool:
    """ "on Thursday", "in early August": a preposition whose whole object is a date or time."""
    objects = [t for t in token.subtree if t.i != token.i]
    return bool(objects) and all(t.ent_type_ in {"DATE", "TIME"} for t in objects)


def _is_complement_clause(token: Any) -> bool:
    """'an account that Putin is set for a meeting': the noun needs the clause ("that" is not its subject)."""
    if token.dep_ not in {"acl", "relcl"}:
        return False
    return any(child.dep_ == "mark" and child.text.lower() in {"that", "whether"} for child in token.children)


def _other_complements(token: Any) -> bool:
    """A verb keeps one complement: 'set for a meeting' must not become 'set'."""
    return any(
        sibling.i != token.i and sibling.dep_ in {"dobj", "attr", "acomp", "xcomp", "ccomp", "prep", "prt", "oprd"}
        for sibling in token.head.children
    )


def _vowel_sound(word: str) -> bool:
    lowered = word.lower()
    return lowered[:1] in set("aeiou") and not lowered.startswith(("uni", "use", "eu", "one", "ute"))


def _bracketed(sentence: Any) -> Iterator[_Deletion]:
    """Everything in round brackets is an aside: "(Sepa)", "(about 4 miles)"."""
    opened: int | None = None
    for token in sentence:
        if token.text == "(":
            opened = token.i
        elif token.text == ")" and opened is not None:
            yield _Deletion(0, opened, frozenset(range(opened, token.i + 1)))
            opened = None


def _commas_around(token: Any) -> frozenset[int]:
    """The commas that set a phrase off go with it: "Peskov, an aide, said" → "Peskov said"."""
    subtree = list(token.subtree)
    doc = token.doc
    around = set()
    first, last = subtree[0].i, subtree[-1].i
    if first > 0 and doc[first - 1].text in {",", "—", "–"}:
        around.add(first - 1)
    if last + 1 < len(doc) and doc[last + 1].text in {",", "—", "–", ")"}:
        around.add(last + 1)
    return frozenset(around)


def _orphan_conjunction(token: Any, kept: set[int]) -> bool:
    if token.dep_ != "cc":
        return False
    joined = [child for child in token.head.children if child.dep_ == "conj" and child.i > token.i]
    return token.head.i not in kept or not any(child.i in kept for child in joined)


def _render(doc: Any, kept: set[int]) -> str:
    """The kept tokens with their own spacing, no punctuation left dangling at either end, and no "and"
    left without the words it joined."""
    order = sorted(i for i in kept if not _orphan_conjunction(doc[i], kept))
    words = [doc[i].text_with_ws for i in order]
    for position, index in enumerate(order[:-1]):
        following = order[position + 1]
        opening = doc[index].text in {'"', "“", "‘", "(", "["}
        if following != index + 1 and not doc[index].whitespace_ and not doc[following].is_punct and not opening:
            words[position] += " "  # "Robotics" lost the comma it stood against
        if doc[index].lower_ in {"a", "an"} and following != index + 1:  # "a provisional agreement" → "an agreement"
            article = "an" if _vowel_sound(doc[following].text) else "a"
            article = article.capitalize() if doc[index].text[0].isupper() else article
            words[position] = article + doc[index].whitespace_
    text = _EMPTY_QUOTES.sub(" ", "".join(words)).strip()  # a quotation whose words all went
    while text and text[-1] in ",;:—–-(":
        text = text[:-1].rstrip()
    while text and text[0] in ",;:—–-)":
        text = text[1:].lstrip()
    return " ".join(text.replace(" ,", ",").split())
