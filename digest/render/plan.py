"""Planning the site: which files it has, each with a fingerprint, and which of them the last build
left as they must be. Pure: plain data and predicates in, typed records out; nothing here reads or
writes site/ (render/__init__.py does, through output.py).
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from typing import Callable, Collection, Mapping, Optional

from .output import GroupRecord
from .pages import Group, Page

Maker = Callable[[], dict[str, bytes]]  # what makes a file (and maybe its siblings)


@dataclass(frozen=True)
class Freshness:
    """Which files in site/ the last build made, from which fingerprints, and which of them nobody touched since.

    Asked of every file of the site on every build (forty thousand at ten thousand articles):
    whole groups of paths are answered by set operations, not one call a path."""

    recorded: Mapping[str, str]  # path → the fingerprint the last build made its file from
    untouched: frozenset[str]  # the paths whose file is in site/ as the last build left it

    def fresh(self, path: str, fingerprint: str) -> bool:
        """The file on disk was made from `fingerprint`, and nobody touched it since."""
        return path in self.untouched and self.recorded.get(path) == fingerprint

    def all_fresh(self, paths: Collection[str], fingerprint: str) -> bool:
        return self.untouched.issuperset(paths) and all(
            map(operator.eq, itertools.repeat(fingerprint), map(self.recorded.get, paths))
        )

    def all_untouched(self, paths: Collection[str]) -> bool:
        """Every path recorded (with whichever fingerprint) and untouched."""
        return self.untouched.issuperset(paths) and all(map(self.recorded.__contains__, paths))


@dataclass
class Plan:
    """The new site: every path's fingerprint; which files are kept as they are, which are made."""

    freshness: Freshness
    fingerprints: dict[str, str] = field(default_factory=dict)
    keep: set[str] = field(default_factory=set)
    makers: dict[str, Maker] = field(default_factory=dict)

    def add(self, paths: list[str], fingerprint: str, make: Maker) -> None:
        self.fingerprints.update(dict.fromkeys(paths, fingerprint))
        self.makers.update(dict.fromkeys(paths, make))
        if self.freshness.all_fresh(paths, fingerprint):
            self.keep.update(paths)

    def add_pages(self, pages: "PagePlan") -> None:
        """The pages' paths, kept where their fingerprint is the one their file was made from (the
        pages of groups kept whole were found so while planning)."""
        self.fingerprints.update(pages.fingerprints)
        self.keep.update(pages.kept)
        fresh, fingerprints = self.freshness.fresh, pages.fingerprints
        self.keep.update(page.path for page in pages.planned if fresh(page.path, fingerprints[page.path]))


@dataclass
class PagePlan:
    planned: list[Page] = field(default_factory=list)  # pages planned one by one (their group changed)
    kept: dict[str, Group] = field(default_factory=dict)  # path → its group, for the pages of groups kept whole
    records: dict[str, GroupRecord] = field(default_factory=dict)  # group id → how it was planned
    collisions: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)  # every page's path → its fingerprint

    def page(self, path: str) -> Page:
        """The page at `path`, planned now if its group was kept whole (its file vanished since)."""
        candidates = self.kept[path].expand() if path in self.kept else self.planned
        return next(page for page in candidates if page.path == path)


class _Contested(Exception):
    """A kept group's address is wanted by a page planned before it: plan that group page by page."""

    def __init__(self, group: Group) -> None:
        self.group = group


def plan_pages(
    groups: list[Group],
    template_fp: Callable[[str], str],
    freshness: Freshness,
    old_groups: dict[str, GroupRecord],
) -> PagePlan:
    """Pages by groups: a group whose key and files are as recorded is kept whole, without
    planning its pages; the others are planned page by page. Two pages with one URL (a tag
    and a digest both named "index"…): the first keeps it, and the other is reported."""

    def unchanged(group: Group, key: str) -> bool:
        record = old_groups.get(group.id)
        return bool(key and record and record.key == key and not record.lost and freshness.all_untouched(record.paths))

    expand: set[str] = set()  # groups planned page by page although unchanged: their address is contested
    while True:
        try:
            result = _plan_once(
                groups, template_fp, old_groups, lambda g, key: g.id not in expand and unchanged(g, key)
            )
        except _Contested as contest:
            expand.add(contest.group.id)
            continue
        result.fingerprints = {path: freshness.recorded[path] for path in result.kept}
        result.fingerprints.update((page.path, template_fp(page.template) + page.key) for page in result.planned)
        return result


def _plan_once(
    groups: list[Group],
    template_fp: Callable[[str], str],
    old_groups: dict[str, GroupRecord],
    keep_whole: Callable[[Group, str], bool],
) -> PagePlan:
    result = PagePlan()
    taken: dict[str, Optional[Page]] = {}  # path → its page (None: a kept group's)
    for group in groups:
        key = template_fp(group.template) + group.key if group.key else ""
        if keep_whole(group, key):
            _keep_group(result, taken, group, old_groups[group.id])
            continue
        paths, lost = [], False
        for page in group.expand():
            if page.path in taken:
                first = taken[page.path]
                if first is None:
                    raise _Contested(result.kept[page.path])
                result.collisions.append(
                    f"{page.path}: two pages want this address ({page.title!r} and {first.title!r}); "
                    "only the first was built"
                )
                lost = True
                continue
            taken[page.path] = page
            result.planned.append(page)
            paths.append(page.path)
        if key:
            result.records[group.id] = GroupRecord(key, tuple(paths), lost)
    return result


def _keep_group(result: PagePlan, taken: dict[str, Optional[Page]], group: Group, record: GroupRecord) -> None:
    """A group kept whole takes the addresses it had, unless a page planned before it wants one."""
    for path in record.paths:
        if path in taken:
            raise _Contested(result.kept.get(path) or group)
    taken.update(dict.fromkeys(record.paths))
    result.kept.update(dict.fromkeys(record.paths, group))
    result.records[group.id] = record
