"""Article Markdown → safe HTML.

Article bodies come from scraped pages, so they are untrusted: raw HTML is
escaped (markdown-it with html=False), links and images are limited to safe
schemes, and the result is sanitised once more with nh3 in case a Markdown
construct ever yields something unexpected. Headings are shifted so the page
title stays the only <h1> and the body's headings start at <h2>.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
}


def is_safe_link(url: str) -> bool:
    """http(s), mailto, or a relative link; never javascript:, data:, file: or protocol-relative hosts."""
    url = url.strip()
    if url.startswith("//"):
        return False
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    return scheme == "" or scheme in SAFE_SCHEMES


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    builtin_validate = md.validateLink
    md.validateLink = lambda url: builtin_validate(url) and is_safe_link(url)  # type: ignore[method-assign]
    md.core.ruler.push("shift_headings", _shift_headings)
    return md


def _shift_headings(state) -> None:
    """The body's highest heading becomes <h2>; levels below keep their distance (capped at <h6>)."""
    heading_tokens = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not heading_tokens:
        return
    top = min(int(t.tag[1]) for t in heading_tokens)
    shift = 2 - top
    for token in heading_tokens:
        token.tag = f"h{min(6, int(token.tag[1]) + shift)}"


_MD = _parser()


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Safe HTML for a Markdown body; the same text always gives the same bytes."""
    html = _MD.render(text)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return Markup(cleaned)
