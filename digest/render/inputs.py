"""Fingerprints of what each output file is made from, so a build can tell what changed.

Articles are named by their fingerprints (Article.fingerprints, computed when
the content file was parsed and cached with it), so fingerprinting a feed of
twenty items or the digests file costs a few string joins, not a pass over the text.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Iterable, Sequence

from ..cache import code_fingerprint
from ..site import Site


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_of(parts: Sequence[str]) -> str:
    """A short stable hash of strings: keys, slugs, paths, or repr() of anything a user wrote
    (repr escapes the separator, so two different lists never join alike)."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _key(value: Any) -> str:
    return key_of([repr(value)])


def config_key(site: Site) -> str:
    """Every setting; a build time, when one is shown, makes every build differ."""
    nonce = time.time_ns() if site.config.timestamp else 0
    return _key((site.config.site_settings_json(), nonce))


def feed_fingerprint(site: Site, spec: Any, settings: str) -> str:
    """One feed: the feeds code, the settings, the feed's own names and its items."""
    items = [article.fingerprints for article in spec.articles]
    return _key(
        (
            code_fingerprint(),
            settings,
            spec.title,
            spec.description,
            spec.page,
            spec.rss,
            spec.atom,
            spec.json,
            items,
        )
    )


def digests_json_fingerprint(site: Site, d: Any) -> str:
    """One digest's part of digests.json: its every field, its articles by fingerprint."""
    digest = [
        d.slug,
        d.name,
        d.how,
        [[p.text, p.article] for p in d.overview],
        d.tags,
        d.sources,
        d.duplicates,
        [a.fingerprints[0] for a in d.articles],
    ]  # it shows no bodies
    return _key((code_fingerprint(), site.config.base_url, digest))


def sitemap_fingerprint(site: Site, entries: Iterable[tuple]) -> str:
    return _key((site.config.base_url, site.config.timezone, list(entries)))
