"""Planning the site: which files it has, each with a fingerprint, and which of them the last build
left as they must be. Pure: plain data and predicates in, typed records out; nothing here reads or
writes site/ (render/__init__.py does, through output.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from .output import GroupRecord
from .pages import Group, Page

Maker = Callable[[], dict[str, bytes]]  # what makes a file (and maybe its siblings)
Fresh = Callable[[str, str], bool]  # (path, fingerprint) → the file in site/ was made from it, untouched since


@dataclass
class Plan:
    """The new site: every path's fingerprint; which files are kept as they are, which are made."""

    fresh: Fresh
    fingerprints: dict[str, str] = field(default_factory=dict)
    keep: set[str] = field(default_factory=set)
    makers: dict[str, Maker] = field(default_factory=dict)

    def add(self, paths: list[str], fingerprint: str, make: Maker) -> None:
        for path in paths:
            self.fingerprints[path] = fingerprint
            self.makers[path] = make
        if all(self.fresh(path, fingerprint) for path in paths):
            self.keep.update(paths)

    def add_pages(self, pages: "PagePlan") -> None:
        """The pages' paths, kept where their fingerprint is the one their file was made from."""
        self.fingerprints.update(pages.fingerprints)
        self.keep.update(path for path, fp in pages.fingerprints.items() if path in pages.kept or self.fresh(path, fp))


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
    fresh: Fresh,
    recorded: dict[str, str],
    old_groups: dict[str, GroupRecord],
) -> PagePlan:
    """Pages by groups: a group whose key and files are as recorded is kept whole, without
    planning its pages; the others are planned page by page. Two pages with one URL (a tag
    and a digest both named "index"…): the first keeps it, and the other is reported."""

    def unchanged(group: Group, key: str) -> bool:
        record = old_groups.get(group.id)
        return bool(
            key
            and record
            and record.key == key
            and not record.lost
            and all(path in recorded and fresh(path, recorded[path]) for path in record.paths)
        )

    expand: set[str] = set()  # groups planned page by page although unchanged: their address is contested
    while True:
        try:
            result = _plan_once(
                groups, template_fp, old_groups, lambda g, key: g.id not in expand and unchanged(g, key)
            )
        except _Contested as contest:
            expand.add(contest.group.id)
            continue
        result.fingerprints = {path: recorded[path] for path in result.kept}
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
