"""The search index's place in a build's plan: each shard (search.py) made again only when one
of its records changed, and its files, named by their contents, found again through a small
cache."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Optional

from .. import search
from ..cache import Store, code_fingerprint
from ..interrupt import Interrupt, Interrupted
from ..site import Site
from .inputs import key_of, sha
from .made import MadeFiles
from .plan import Plan

SEARCH_CACHE = "render-search.pickle"  # search shard name → [its key, its files]


@dataclass(frozen=True)
class SearchUpdate:
    """What a build does with the search shards whose records changed."""

    defer: bool = False  # leave them as they were (serve's edit rebuilds: they are updated when idle)
    interrupt: Optional[Interrupt] = None  # once set, the shards being made are left as they were, as if deferred


def plan_search(
    site: Site, plan: Plan, made: MadeFiles, problems: dict[str, str], updating: SearchUpdate, store: Store
) -> bool:
    """The search index (search.py), each shard made again only when one of its records changed (or,
    when deferred or interrupted, kept as it was). Shard files are named by their contents, so the files
    of a shard are found in a small cache: shard name → [its key, its files]. Returns whether shards
    were left stale."""
    cache_path = site.config.cache_dir / SEARCH_CACHE
    cached: dict[str, list] = store.read(cache_path, "v2") or {}

    def kept(name: str, key: str) -> bool:
        return plan.freshness.all_fresh(search.shard_paths(name, cached[name][1]), key)

    if updating.defer and cached and all(kept(name, key) for name, (key, _) in cached.items()):
        # An edit's rebuild: the index stays as it is, without keying every article (a tenth of a
        # second per ten thousand); the idle build that follows brings it up to date.
        _keep_search(plan, cached)
        return True
    language = search.pagefind_language(site.config.language)
    settings = key_of([code_fingerprint(), search.pagefind_version(), language, site.config.timezone])
    shards = search.plan_shards(site, settings)

    todo = [
        shard
        for shard in shards
        if not (shard.name in cached and cached[shard.name][0] == shard.key and kept(shard.name, shard.key))
    ]
    # shards whose files from the last index are all in site/: left as they are when deferred or interrupted
    keepable = [shard for shard in todo if shard.name in cached and kept(shard.name, cached[shard.name][0])]
    stale = keepable if updating.defer else []
    try:
        bundles = search.index_shards(
            [shard for shard in todo if shard not in stale], language, interrupt=updating.interrupt
        )
    except Interrupted:  # as if deferred: the shards that were there stay, the next build makes the rest
        bundles, stale = {}, keepable
    except search.SearchError as error:
        problems[search.SHARDS_JSON] = f"search: no search index was made: {error}"
        return False
    current: dict[str, list] = {}
    for shard in shards:
        if shard.name in bundles:
            bundle = bundles.pop(shard.name)  # spilled to disk, not held through the render
            files = sorted(bundle)
            made.spill(dict(zip(search.shard_paths(shard.name, files), (bundle[f] for f in files))))
            current[shard.name] = [shard.key, files]
        elif shard.name in cached:
            current[shard.name] = cached[shard.name]
        else:
            continue  # new, and deferred: the next render makes it
        key, files = current[shard.name]
        plan.add(search.shard_paths(shard.name, files), key, functools.partial(_search_shard, shard, language))
    _plan_shard_list(plan, current)
    if current != cached:
        store.write(cache_path, "v2", current)
    return len(current) < len(shards) or bool(stale)


def _keep_search(plan: Plan, cached: dict[str, list]) -> None:
    """Every shard's files as the last index left them (a file that vanishes meanwhile comes back
    with the next full index)."""
    for name, (key, files) in cached.items():
        plan.add(search.shard_paths(name, files), key, dict)
    _plan_shard_list(plan, cached)


def _plan_shard_list(plan: Plan, shards: dict[str, list]) -> None:
    """The list of shards the search page loads (search.SHARDS_JSON)."""
    names = search.shards_json(list(shards))
    plan.add([search.SHARDS_JSON], sha(names), lambda: {search.SHARDS_JSON: names})


def _search_shard(shard: Any, language: str) -> dict[str, bytes]:
    """A kept shard whose files vanished from site/ since planning: indexed again."""
    files = search.index_shards([shard], language).get(shard.name, {})
    return dict(zip(search.shard_paths(shard.name, list(files)), files.values()))
