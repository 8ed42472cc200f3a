"""Page chrome a scraper left between the paragraphs: recognised by category.

Every rule looks at a whole, standalone line and needs the line to be short or
shaped like chrome ("Read more: …", "WATCH — …:"), so that a sentence which only
starts with "Share" or mentions an advertisement stays in the article.
"""

from __future__ import annotations

import re
from typing import Optional

from .credits import credit_or_prompt

MAX_CHROME_WORDS = 30  # a related-link line carries a headline; anything longer is prose

_SOCIAL = r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|reddit|email|e-mail|messenger|threads|bluesky|print|copy link|copy)"

_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "share prompt",
            rf"^(?:(?:share|shares|share this(?: article| story| post| page)?|share (?:on|via) {_SOCIAL}|tweet|"
            rf"{_SOCIAL}|pin it|save(?: article)?|follow)[\s.!:|•·/]*)+$",
        ),
        (
            "related link",
            r"^(?:see also|read more|read also|also read)\b(?:\s*$|\s*[:\u00a0»›>|–—-]|\s+(?=(?-i:[A-Z0-9“\"‘'])))"
            r"|^(?:related(?: articles?| stories| news| coverage| content| topics| reading)?|more on this(?: story)?|"
            r"recommended(?: for you)?|you (?:may|might) also like|further reading|trending(?: now)?|most read|"
            r"popular now|more stories|top stories|don'?t miss)\b(?:\s*$|\s*[:\u00a0»›>|–—-])"
            r"|^(?:more from|also on) [^.!?]{1,40}$",
        ),
        (
            "comment prompt",
            r"^(?:leave a (?:reply|comment)|post a comment|add (?:a|your) comment|"
            r"join the (?:conversation|discussion|debate)|comments? (?:are )?(?:closed|disabled)|"
            r"view comments|show comments|\d+\s+comments?|comments?(?: \(\d+\))?|"
            r"you must be logged in to post a comment|cancel reply)[\s.!:]*$",
        ),
        (
            "video promo",
            r"^(?:watch|video|listen|photos?|gallery|in pictures|podcast)\b\s*(?:[:—–|-]|\s[—–-]\s|$)"
            r"|^(?-i:WATCH|VIDEO|LISTEN)\b.{0,150}:$",
        ),
        (
            "full-article link",
            r"^(?:read|see|view) the (?:full|original|whole|complete|rest of the) (?:article|story|report|piece)\b.*$"
            r"|^(?:continue|keep) reading\b.*$|^click here\b.{0,120}$|^(?:full|original) (?:article|story)(?: here)?\W*$"
            r"|^(?:this (?:article|story) (?:was|is) )?(?:originally|first) (?:published|appeared)\b.{0,120}$"
            r"|^source link\W*$",
        ),
        (
            "site chrome",
            r"^(?:exit mobile version|skip to (?:main )?content|back to top|toggle navigation|menu|search|close|"
            r"home|log ?in|sign ?in|register|next|previous|prev|next article|previous article|"
            r"next post|previous post|loading\.*|print this page|font size|reset|accept(?: all)?(?: cookies)?|"
            r"we use cookies\b.*|this (?:site|website) uses cookies\b.*|cookie (?:policy|settings)|"
            r"image (?:source|caption)\b.*|media caption\b.*|getty images|tags?:.*|topics?:.*|filed under:.*|"
            r"(?:photo|image|picture) ?(?:credit)?: ?[\w .,/&-]{1,60})\W*$",
        ),
        (
            "copyright line",
            r"^(?:copyright\s*)?(?:©|\(c\)).{0,200}$|^copyright\s+(?:\d{4}|by\b).{0,200}$|^all rights reserved\b.{0,200}$"
            r"|^.{0,120}\ball rights reserved\b.{0,80}$"
            r"|^this material may not be published, broadcast, rewritten,? or redistributed\b.*$",
        ),
        (
            "newsletter prompt",
            r"^(?:(?:sign up|subscribe|register)(?: now| today| here| free)?\W*$|"
            r"(?:sign up|subscribe|register) (?:now |today |here )?(?:to|for|with) (?:our|the|us|free|a free|\w+'s)\b|"
            r"get (?:our|the) (?:\w+ )?newsletter|join (?:our|\d[\d,]*) \w+|"
            r"follow us\b|download (?:our|the) app|get the app|support (?:our|independent) journalism|"
            r"become a (?:member|subscriber|supporter)|already a subscriber|we'?d love your support)\b.{0,200}$"
            r"|^(?:sign up|subscribe|get|receive|join|enter your email|want|never miss|don'?t miss|stay (?:informed|"
            r"up to date)|like this story)\b.{0,120}\b(?:newsletters?|in your inbox|unsubscribe at any time)\b.{0,80}$",
        ),
        (
            "advertisement",
            r"^(?:advertisements?|advert|ad|ads|sponsored(?: content| post| links?)?|paid (?:content|post)|"
            r"promoted(?: content)?|story continues below(?: advertisement)?|article continues (?:below|after)"
            r"(?: (?:this )?(?:advertisement|ad))?|scroll (?:down )?to continue(?: with content)?|"
            r"content continues below|partner content|supported by)\W*$",
        ),
    )
)

# Chrome that may carry a sentence, but only when it stands alone and is short.
_SHORT_ONLY = {"copyright line", "newsletter prompt", "full-article link", "site chrome"}
_SHORT_WORDS = 24


def chrome_category(line: str) -> Optional[str]:
    """The category of page chrome this whole line is, or None when it is article text."""
    text = line.strip().strip("*_#> ").strip()
    if not text:
        return None
    words = len(text.split())
    if words > MAX_CHROME_WORDS:
        return None
    for name, pattern in _CATEGORIES:
        if name in _SHORT_ONLY and words > _SHORT_WORDS:
            continue
        if pattern.match(text):
            if name == "newsletter prompt" and _reads_as_reporting(text):
                continue
            return name
    return credit_or_prompt(text)


_REPORTING = re.compile(r"\b(?:said|says|told|according|reported|announced)\b", re.IGNORECASE)


def _reads_as_reporting(text: str) -> bool:
    """'Subscribers to the newsletter said …' is news, not a prompt."""
    return bool(_REPORTING.search(text))
