"""A lead sentence shortened to a headline by deleting whole phrases from its parse tree.

A headline must fit (about 90 characters) and read as a whole phrase. Cutting the
sentence where it got long leaves fragments ("Russia is disputing a White House
account"); deleting dependents that a clause does not need leaves grammar intact.
Deletions go cheapest first: brackets and asides, attributions, times and
adverbs, modifying clauses, people's titles, first names, adjectives, phrases
hanging off nouns, then off verbs, then articles (headline style drops "a" and
"the" last). Within a kind, the rightmost phrase goes first: news puts what
matters first. When the sentence fits, deletions are undone again (most
valuable first) while it still fits, so nothing is lost that did not have to be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

# Verbs of saying whose clause is the news: "Peskov said that Putin is ready" → "Putin is ready".
SAY_VERBS = {
    "said", "says", "say", "told", "tells", "announced", "announces", "stated", "states", "confirmed", "confirms",
    "warned", "warns", "claimed", "claims", "reported", "reports", "insisted", "insists", "argued", "argues",
    "added", "adds", "noted", "notes", "revealed", "reveals", "disclosed", "discloses", "declared", "declares",
    "acknowledged", "acknowledges", "admitted", "admits", "explained", "explains", "wrote", "writes",
}
_NEGATIONS = {"not", "n't", "never", "no", "nor"}
FIRST_NAMES = 5  # the cost of dropping first names
_CLAUSE_LABELS = {"advcl", "relcl", "acl", "parataxis"}
_ASIDE_LABELS = {"appos", "parataxis"}


@dataclass(frozen=True)
class _Deletion:
    cost: int  # lower goes first
    head: int  # the token whose phrase this is
    tokens: frozenset[int]


def compress(doc: Any, limit: int) -> str:
    """The shortest-necessary headline from a parsed sentence: at most `limit` characters when deletions allow."""
    sentence = next(iter(doc.sents), None) if doc.has_annotation("DEP") else None
    if sentence is None:
        return doc.text.strip()
    kept = set(_news_clause(sentence))
    applied: list[_Deletion] = []
    for deletion in sorted(_deletions(sentence, kept), key=lambda d: (d.cost, -d.head)):
        if len(_render(doc, kept)) <= limit:
            break
        if deletion.head in kept:
            removed = deletion.tokens & kept
            kept -= removed
            applied.append(_Deletion(deletion.cost, deletion.head, frozenset(removed)))
    for deletion in sorted(applied, key=lambda d: (-d.cost, d.head)):
        attached = all(doc[i].head.i in kept or doc[i].head.i in deletion.tokens for i in deletion.tokens)
        if attached and len(_render(doc, kept | deletion.tokens)) <= limit:
            kept |= deletion.tokens
    return _render(doc, kept)


def _news_clause(sentence: Any) -> Iterator[int]:
    """The sentence's tokens, or only the reported clause when the main verb is one of saying."""
    root = sentence.root
    if root.text.lower() in SAY_VERBS:
        clauses = [child for child in root.children if child.dep_ == "ccomp" and _has_subject(child)]
        if clauses:
            clause = clauses[0]
            yield from (token.i for token in clause.subtree if not (token.dep_ == "mark" and token.head == clause))
            return
    yield from (token.i for token in sentence if token.dep_ != "punct" or token.i != sentence.end - 1)


def _has_subject(token: Any) -> bool:
    return any(child.dep_ in {"nsubj", "nsubjpass", "expl"} for child in token.children)


def _deletions(sentence: Any, kept: set[int]) -> Iterator[_Deletion]:
    yield from _bracketed(sentence)
    first_names = []
    for token in sentence:
        if token.i not in kept or token.dep_ == "ROOT":
            continue
        cost = _cost(token)
        if cost == FIRST_NAMES:
            first_names.append(token.i)
        elif cost is not None:
            yield _Deletion(cost, token.i, frozenset(t.i for t in token.subtree) | _commas_around(token))
    if first_names:  # all or none: "Putin and Donald Trump" reads as a slip
        yield _Deletion(FIRST_NAMES, first_names[0], frozenset(first_names))


def _cost(token: Any) -> Optional[int]:
    """How much a headline loses without this token's phrase; None when grammar needs it."""
    dep, head = token.dep_, token.head
    if dep in _ASIDE_LABELS or (dep == "prep" and token.text.lower() == "according"):
        return 1
    if dep == "npadvmod" or (dep == "prep" and any(t.ent_type_ in {"DATE", "TIME"} for t in token.subtree)):
        return 2
    if dep == "advmod" and token.text.lower() not in _NEGATIONS and head.tag_[:1] == "V":
        return 2
    if dep in _CLAUSE_LABELS and not _is_complement_clause(token):
        return 3
    if dep == "conj" and token.tag_.startswith("V") and head.dep_ == "ROOT":
        return 3
    return _noun_phrase_cost(token)


def _noun_phrase_cost(token: Any) -> Optional[int]:
    dep, head = token.dep_, token.head
    if head.ent_type_ == "PERSON" and dep in {"compound", "amod", "nmod"} and token.ent_type_ != "PERSON":
        return 4  # "President", "Ukraine President", "Kremlin spokesman" before a name
    if head.ent_type_ == "PERSON" and dep == "compound" and token.ent_type_ == "PERSON" and token.i < head.i:
        return FIRST_NAMES  # a first name: the surname alone names a person in a headline
    if dep == "amod" and head.tag_.startswith("NN") and head.ent_type_ == "":
        return 6
    if dep == "prep" and head.tag_.startswith("NN"):
        return 7
    if dep == "prep" and head.tag_.startswith("V") and _other_complements(token):
        return 8
    if dep == "det" and token.text.lower() in {"a", "an", "the"}:
        return 9
    return None


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
    opened: Optional[int] = None
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


def _render(doc: Any, kept: set[int]) -> str:
    """The kept tokens with their own spacing, no punctuation left dangling at either end."""
    order = sorted(kept)
    words = [doc[i].text_with_ws for i in order]
    for position, index in enumerate(order[:-1]):
        following = order[position + 1]
        if doc[index].lower_ in {"a", "an"} and following != index + 1:  # "a provisional agreement" → "an agreement"
            article = "an" if _vowel_sound(doc[following].text) else "a"
            words[position] = (article.capitalize() if doc[index].text[0].isupper() else article) + doc[index].whitespace_
    text = "".join(words).strip()
    while text and text[-1] in ",;:—–-(":
        text = text[:-1].rstrip()
    while text and text[0] in ",;:—–-)":
        text = text[1:].lstrip()
    return " ".join(text.replace(" ,", ",").split())
