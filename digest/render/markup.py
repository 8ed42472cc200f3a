"""Article Markdown → safe HTML for the pages.

The same rules as the feeds (digest.markdown: raw HTML escaped, safe link
schemes only, nh3 afterwards), plus what a page needs on top: tables and
strike-through, and headings shifted so the page title stays the only <h1>
and the body's levels follow on from it without gaps.
"""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..markdown import SAFE_SCHEMES, is_safe_link, strip_illegal

_ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
}


def _shift_headings(state) -> None:
    """The body's levels, in rank order, become h2, h3, …: no second <h1>, no skipped level."""
    heading_tokens = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    levels = sorted({int(t.tag[1]) for t in heading_tokens})
    new_level = {level: min(6, 2 + rank) for rank, level in enumerate(levels)}
    for token in heading_tokens:
        token.tag = f"h{new_level[int(token.tag[1])]}"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    builtin_validate = md.validateLink
    md.validateLink = lambda url: builtin_validate(url) and is_safe_link(url)  # type: ignore[method-assign]
    md.core.ruler.push("shift_headings", _shift_headings)
    return md


_MD = _parser()


@functools.lru_cache(maxsize=1024)
def render_markdown(text: str) -> Markup:
    """Safe HTML for a Markdown body; the same text always gives the same bytes."""
    cleaned = nh3.clean(
        _MD.render(strip_illegal(text)),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return Markup(cleaned)
