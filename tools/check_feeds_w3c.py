"""Run the W3C feed validator over every RSS and Atom feed of a built site.

The validator is open source (github.com/w3c/feedvalidator, Python, runs offline)
but not on PyPI, so it is not a dependency: check it out anywhere and point this
script at it. It needs lxml, html5lib and rdflib in the Python that runs it.

    python tools/check_feeds_w3c.py --validator ~/src/feedvalidator --base-url https://example.org/news/ site/

Prints errors and warnings per feed, as the online validator shows them, and
exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def feeds_in(site: Path) -> list[Path]:
    found = [site / "feed.xml", site / "atom.xml"]
    found += sorted((site / "digests").glob("*.xml")) + sorted((site / "digests").glob("*.atom"))
    return [path for path in found if path.is_file()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--validator", type=Path, required=True, help="a checkout of w3c/feedvalidator")
    parser.add_argument("--base-url", required=True, help="the site's base_url (feeds are checked as if served there)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.validator / "src"))
    import feedvalidator
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter

    total = 0
    for path in feeds_in(args.site):
        relative = path.relative_to(args.site).as_posix()
        try:
            events = feedvalidator.validateString(
                path.read_text(encoding="utf-8"), firstOccurrenceOnly=0, base=args.base_url + relative
            )["loggedEvents"]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
        shown = compatibility.AA(events)  # errors and warnings: what the online validator reports
        errors = sum(isinstance(event, feedvalidator.logging.Error) for event in shown)
        print(f"{relative}: {errors} errors, {len(shown) - errors} warnings")
        for line in Formatter(shown):
            print("   ", line)
        total += len(shown)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
