"""site/digests.json: the digests as data for other tools (the render stage writes the file)."""

from __future__ import annotations

from typing import Any

from ..model import DateValue, Digest
from ..site import ARTICLE, DIGEST


def _iso(value: DateValue) -> str | None:
    return value.isoformat() if value is not None else None


def digests_json(digests: list[Digest], site_base_url: str) -> dict[str, Any]:
    # paths never climb and the base ends in "/": joining is concatenation (urljoin costs ten
    # microseconds an article, on every edit of a large digest's article)
    base = site_base_url if site_base_url.endswith("/") else site_base_url + "/"
    return {
        "digests": [
            {
                "slug": digest.slug,
                "name": digest.name,
                "url": base + DIGEST.format(slug=digest.slug),
                "how": digest.how,
                "date_from": _iso(digest.date_from),
                "date_to": _iso(digest.date_to),
                "undated": digest.undated,  # articles that state no date (outside the range above)
                "overview": [{"text": point.text, "article": point.article} for point in digest.overview],
                "tags": list(digest.tags),
                "sources": list(digest.sources),
                "duplicates": [list(group) for group in digest.duplicates],
                "articles": [
                    {
                        "slug": article.slug,
                        "title": article.title,
                        "date": _iso(article.date),
                        "added": _iso(article.added),
                        "origin": article.origin,
                        "source": article.source,
                        "author": article.author,
                        "url": base + ARTICLE.format(slug=article.slug),
                    }
                    for article in digest.articles
                ],
            }
            for digest in digests
        ]
    }
