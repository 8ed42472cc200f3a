"""The style set (tests/data/style_set.yaml): articles in many outlets' styles and what ingest must make of them.

    python tests/style_checks.py        # prints each failing check and "checks passed: N/M"

Every expectation of every article is one named check, so a failure says which
article and which field, and the pass count is a figure to report.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.config import Config
from digest.ingest.decode import decode
from digest.ingest.normalise import normalise
from digest.model import Article, date_sort_value

STYLE_SET = Path(__file__).parent / "data" / "style_set.yaml"
DANGLING = {
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "and",
    "or",
    "but",
    "that",
    "is",
}


@dataclass(frozen=True)
class Failure:
    article: str
    check: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.article}: {self.check}: expected {self.expected!r}, got {self.got!r}"


def _lower(values: list[str]) -> set[str]:
    return {value.casefold() for value in values}


def _same_date(expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is got
    if isinstance(expected, str):
        expected = dt.datetime.fromisoformat(expected)
    if isinstance(expected, dt.datetime) != isinstance(got, dt.datetime):
        return False
    return date_sort_value(expected) == date_sort_value(got) if isinstance(expected, dt.datetime) else expected == got


def _whole_phrase(title: str) -> bool:
    return bool(title) and title.split()[-1].lower() not in DANGLING and not title.endswith((",", ";", ":", "-"))


# check name → (what the article has, whether it meets the expectation)
CHECKS: dict[str, Callable[[Article, Any], tuple[Any, bool]]] = {
    "title": lambda a, e: (a.title, a.title == e),
    "title_max": lambda a, e: (a.title, len(a.title) <= e and _whole_phrase(a.title)),
    "title_has": lambda a, e: (a.title, all(word in a.title for word in e)),
    "title_not": lambda a, e: (a.title, not any(text in a.title for text in e)),
    "date": lambda a, e: (a.date, _same_date(e, a.date)),
    "date_inferred": lambda a, e: (a.date_inferred, a.date_inferred == e),
    "source": lambda a, e: (a.source, a.source == e),
    "author": lambda a, e: (a.extra.get("author", ""), a.extra.get("author", "") == e),
    "tags_include": lambda a, e: (a.tags, _lower(e) <= _lower(a.tags)),
    "tags_exclude": lambda a, e: (a.tags, not _lower(e) & _lower(a.tags)),
    "body_includes": lambda a, e: ("…", all(text in a.body for text in e)),
    "body_excludes": lambda a, e: ([t for t in e if t in a.body], not any(text in a.body for text in e)),
    "summary_starts": lambda a, e: (a.summary[:60], a.summary.startswith(e)),
    "summary_excludes": lambda a, e: (a.summary[:60], not any(text in a.summary for text in e)),
}


def load_style_set() -> list[dict]:
    return yaml.safe_load(STYLE_SET.read_text(encoding="utf-8"))


def run_checks(entries: list[dict]) -> tuple[int, list[Failure]]:
    """(checks passed, the failures) over every article of the set."""
    passed, failures = 0, []
    for entry in entries:
        article = normalise(decode(entry["text"]), f"seeds/{entry['name']}.txt", Config()).article
        for check, expected in entry["expect"].items():
            got, ok = CHECKS[check](article, expected)
            if ok:
                passed += 1
            else:
                failures.append(Failure(entry["name"], check, expected, got))
    return passed, failures


def main() -> None:
    entries = load_style_set()
    passed, failures = run_checks(entries)
    for failure in failures:
        print(failure)
    print(f"articles: {len(entries)}; checks passed: {passed}/{passed + len(failures)}")


if __name__ == "__main__":
    main()
