"""Fingerprints of what the output is made from, so a build can tell what changed.

Hashing the inputs costs a fraction of rendering them: with nothing changed, a
build checks one fingerprint of the whole site and the files on disk, and stops.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from pathlib import Path
from typing import Any

from ..site import Site
from .theme import CODE_FINGERPRINT, Theme


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _source_of(*objects: Any) -> list[str]:
    return [Path(inspect.getsourcefile(o) or "").read_text(encoding="utf-8") for o in objects]


def article_rows(site: Site) -> list[list]:
    """Every field of every article (the body by its hash), in the site's order."""
    return [
        [a.slug, a.title, str(a.date), a.date_inferred, a.source, a.tags, a.summary, a.origin, a.digest,
         _sha(a.body), a.extra]
        for a in site.articles
    ]


def feeds_fingerprint(site: Site, rows: list[list]) -> str:
    """Everything the feeds are made from: the feeds code, the config, every article and digest."""
    from .. import feeds, markdown

    digests = [[d.slug, d.name, [a.slug for a in d.articles], d.tags, d.sources] for d in site.digests]
    return _sha(_dump([_source_of(feeds, markdown), site.config.model_dump(mode="json"), rows, digests]))


def site_fingerprint(site: Site, rows: list[list], theme: Theme) -> str:
    """Everything the whole output is made from; equal fingerprints mean equal sites."""
    from .. import feeds, markdown

    code: list[str] = [CODE_FINGERPRINT, *_source_of(feeds, markdown)]
    try:
        from ..group import digests_json

        code += _source_of(digests_json)
    except ImportError:
        pass
    digests = [
        [d.slug, d.name, [a.slug for a in d.articles], [[p.text, p.article] for p in d.overview],
         d.tags, d.sources, d.duplicates, d.how]
        for d in site.digests
    ]
    static = {path: hashlib.sha256(data).hexdigest() for path, data in theme.static.items()}
    return _sha(_dump([code, theme.key, static, site.config.model_dump(mode="json"), rows, digests]))
