"""Where the editor decides: `digest:` pins in front matter and rules in digest.yaml."""

from __future__ import annotations

import re
from typing import Optional

from ..config import DigestRule
from ..model import Article


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    # whole words or phrases only: the keyword "war" must not match "software"
    words = keyword.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


class RuleMatcher:
    def __init__(self, rules: list[DigestRule]) -> None:
        self.rules = rules
        self._tags = [{tag.casefold() for tag in rule.tags} for rule in rules]
        self._keywords = [[_keyword_pattern(k) for k in rule.keywords if k.split()] for rule in rules]

    def first_match(self, article: Article, plain_body: str) -> Optional[int]:
        """The index of the first rule (in the file's order) the article matches; `plain_body`: `plain_text` of its body."""
        tags = {tag.casefold() for tag in article.tags}
        text: Optional[str] = None
        for index, (rule_tags, patterns) in enumerate(zip(self._tags, self._keywords)):
            if rule_tags & tags:
                return index
            if patterns:
                if text is None:
                    text = f"{article.title}\n{plain_body}"
                if any(pattern.search(text) for pattern in patterns):
                    return index
        return None
