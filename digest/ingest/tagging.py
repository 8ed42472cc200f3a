"""Tagging, as a step over many articles at once: what each article states of itself, then the names
it is about (tags.py), then at most two topics.

Ingest gives this step every article a worker has normalised (a chunk of seeds, every entry of a
feed) in one call, so that the language model reads their lead samples as one batch: its
step-by-step decoder costs about a third less an article that way. The tags are the same as one
article at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..config import Config
from .header import is_staff_credit
from .tags import TagResult, alias_map, article_tags, names_in_samples, ner_sample, tag_key
from .topics import topic_tags

FOOT_PARAGRAPHS = 3  # where a story's staff credits stand


@dataclass(frozen=True)
class TagRequest:
    """What tagging reads of one article."""

    title: str  # a stated headline only: a generated one repeats the lead
    prose: tuple[str, ...]
    publisher: str = ""
    stated: tuple[str, ...] = ()  # the text's own "Tags: …" line: first, as the editor's own tags
    categories: tuple[str, ...] = ()  # a feed's or page's own categories: first of all, never cut


def tag_all(requests: Sequence[TagRequest], config: Config) -> list[TagResult]:
    """Each article's tags: its own tags first, then the names it is about, then (at most two) topics."""
    bodies = ["\n\n".join(_without_foot_credits(request.prose)) for request in requests]
    samples = [ner_sample(body, request.title) for request, body in zip(requests, bodies)]
    found = names_in_samples(samples) if samples else []
    aliases = alias_map(config.tags.aliases)  # the editor's settings, read once for all the articles
    stop = {tag_key(word) for word in config.tags.stop}
    return [
        _with_categories(request.categories, _tags(request, body, names, config, aliases, stop))
        for request, body, names in zip(requests, bodies, found)
    ]


def tag_article(title: str, prose: list[str], publisher: str, config: Config) -> TagResult:
    """The names one text is about, then topics."""
    return tag_all([TagRequest(title, tuple(prose), publisher)], config)[0]


def _tags(
    request: TagRequest,
    body: str,
    names: list[tuple[str, str]],
    config: Config,
    aliases: dict[str, str],
    stop: set[str],
) -> TagResult:
    limit = config.tags.max_per_article
    title = request.title
    tagged = article_tags(
        title, body, aliases=aliases, stop=config.tags.stop, limit=limit, publisher=request.publisher, names=names
    )
    own = [aliases.get(tag_key(tag), tag) for tag in request.stated if tag_key(tag) not in stop]
    known = {tag_key(tag) for tag in own}
    tags = (own + [tag for tag in tagged.tags if tag_key(tag) not in known])[:limit]
    kinds = {name: tagged.kinds.get(name, "STATED") for name in tags}
    # Topics come on top of the names, and only where names were wanted at all.
    for topic in topic_tags(title, body) if limit else []:
        name = aliases.get(tag_key(topic), topic)  # an editor may rename a topic with an alias
        if tag_key(name) not in stop and tag_key(name) not in {tag_key(n) for n in tags}:
            tags.append(name)
            kinds[name] = "TOPIC"
    return TagResult(tags, kinds)


def _with_categories(categories: tuple[str, ...], tagged: TagResult) -> TagResult:
    """The feed's own categories first, then the names and topics the text is about."""
    if not categories:
        return tagged
    keys = {tag_key(name) for name in categories}
    tags = list(categories) + [tag for tag in tagged.tags if tag_key(tag) not in keys]
    kinds = {name: "CATEGORY" for name in categories} | {tag: kind for tag, kind in tagged.kinds.items() if tag in tags}
    return TagResult(tags, kinds)


def _without_foot_credits(prose: Sequence[str]) -> list[str]:
    """The story without the staff credits at its foot: the people who made it are not what it is about."""
    foot = max(0, len(prose) - FOOT_PARAGRAPHS)
    return [p for index, p in enumerate(prose) if index < foot or not is_staff_credit(p)]
