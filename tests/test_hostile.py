"""The adversarial corpus (tests/hostile/cases.yaml) through the real `digest build`.

Every seed and content case goes into one project next to ordinary articles, and
one build runs over it all: each case must have its outcome (built and safe, or
one line naming it), and nothing may leak past the cases — no traceback, no hang,
no file outside site/, content/ and .digest-cache/, no ordinary article lost, no
script in any page or feed. Config cases each get a project of their own.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest
import yaml
from click.testing import CliRunner

from digest.cli import cli
from digest.model import parse_article

from conftest import SAMPLE_SEEDS
from hostile_checks import BUILD_TIMEOUT, changed_paths, page_text, run_digest, site_problems, sitemap_pages, tree

STATIC = Path(__file__).resolve().parent.parent / "digest" / "static"

HOSTILE = Path(__file__).parent / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))

ARTICLE = (
    "Zürich tram strike enters its third day\n"
    "Tram drivers in Zürich stayed off work for a third day on Wednesday in a dispute over shift patterns.\n"
    "The transport authority said buses would run every ten minutes on the busiest routes.\n"
    "Union leaders said they were ready to talk but would not accept longer shifts without more pay.\n"
)


# ---------------------------------------------------------------- generated inputs


def _plain_article(path: Path) -> None:
    # each file its own headline, so every name makes its own article
    path.write_text(ARTICLE.replace("third day", f"day named {path.stem}", 1), encoding="utf-8")


def _png_image(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)


def _zip_archive(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("article.txt", ARTICLE)


def _random_binary(path: Path) -> None:
    import random

    rng = random.Random(7)
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(20_000)))


def _fifty_megabytes(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(ARTICLE.encode() * ((50 * 2**20) // len(ARTICLE.encode()) + 1))


def _one_megabyte_line(path: Path) -> None:
    words = "the council said the harbour budget would rise again next year "
    path.write_text("Harbour budget rises again\n" + words * (2**20 // len(words)) + "\n", encoding="utf-8")


def _very_long_word(path: Path) -> None:
    word = "Pneumono" + "ultramicroscopic" * 4000
    path.write_text(
        "Spelling bee final ends in a tie after a record word\n"
        f"The final ended in a tie on Saturday after a contestant spelled {word} correctly.\n"
        "Judges said the word was the longest ever used in the competition.\n"
        f"The stream was at https://example.org/{'a' * 20_000} all afternoon.\n",
        encoding="utf-8",
    )


def _symlink_outside(path: Path) -> None:
    secret = path.parent.parent.parent / "outside-secret.txt"
    secret.write_text(ARTICLE.replace("Zürich", "Secret"), encoding="utf-8")
    path.symlink_to(secret)


def _symlink_inside(path: Path) -> None:
    target = path.parent / ".sub" / "real.txt"  # not itself a seed: a hidden folder is not read
    target.parent.mkdir(exist_ok=True)
    target.write_text(ARTICLE.replace("Zürich", "Basel"), encoding="utf-8")
    path.symlink_to(target)


SECRET = "XXE-SECRET-MARKER-7731"  # in files outside the project that hostile XML names: never to be read


def _outside_secret(path: Path) -> Path:
    secret = path.parent.parent.parent / "outside-xxe-secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    (secret.parent / "outside-xxe.dtd").write_text(f'<!ENTITY secret SYSTEM "{secret.as_uri()}">\n', encoding="utf-8")
    return secret


def _entity_bomb_feed(path: Path) -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{chr(10).join(levels)}\n]>\n'
        '<rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title>'
        "<link>https://laughs.example/1</link><description>&lol9;</description></item></channel></rss>\n"
    )


def _xxe_feed(path: Path) -> None:
    secret = _outside_secret(path)
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>\n'
        '<rss version="2.0"><channel><title>Leak</title><item><title>Harbour news &secret;</title>'
        "<link>https://leak.example/1</link><description>The secret: &secret;</description></item></channel></rss>\n"
    )


def _xxe_page(path: Path) -> None:
    secret = _outside_secret(path)
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Leak</title></head><body><article>'
        f"<p>{'The harbour master said the wall would be repaired before winter. ' * 4}&secret;</p>"
        "</article></body></html>\n"
    )


def _external_dtd_feed(path: Path) -> None:
    dtd = _outside_secret(path).parent / "outside-xxe.dtd"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">\n'
        '<rss version="2.0"><channel><title>External DTD</title><item><title>Harbour news &secret; today</title>'
        "<link>https://dtd.example/1</link><description>The harbour master said on Monday that the wall would be "
        "repaired before the winter storms arrive &secret;.</description></item></channel></rss>\n"
    )


def _thirty_megabyte_page(path: Path) -> None:
    paragraph = "<p>The council said the harbour budget would rise again next year.</p>\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("<!DOCTYPE html><html><body><article>\n")
        handle.write(paragraph * ((30 * 2**20) // len(paragraph) + 1))
        handle.write("</article></body></html>\n")


GENERATORS: dict[str, Callable[[Path], None]] = {
    "entity_bomb_feed": _entity_bomb_feed,
    "xxe_feed": _xxe_feed,
    "xxe_page": _xxe_page,
    "external_dtd_feed": _external_dtd_feed,
    "thirty_megabyte_page": _thirty_megabyte_page,
    "empty": lambda p: p.write_bytes(b""),
    "whitespace_only": lambda p: p.write_bytes(b"  \n\t\r\n \xc2\xa0 \n"),
    "png_image": _png_image,
    "zip_archive": _zip_archive,
    "nul_bytes": lambda p: p.write_bytes(ARTICLE.encode().replace(b" ", b"\x00", 3)),
    "random_binary": _random_binary,
    "fifty_megabytes": _fifty_megabytes,
    "utf16_with_bom": lambda p: p.write_bytes(ARTICLE.encode("utf-16")),
    "utf16_bad_surrogate": lambda p: p.write_bytes(b"\xff\xfe" + "Tram".encode("utf-16-le") + b"\x00\xd8\x41\x00"),
    "invalid_utf8": lambda p: p.write_bytes(
        "Owners of café terraces protest “new” rules\nThe café association said the rules were unfair.\n"
        "Members said they would close for a day in protest.\n".encode("cp1252")
    ),
    "one_megabyte_line": _one_megabyte_line,
    "very_long_word": _very_long_word,
    "plain_article": _plain_article,
    "symlink_outside": _symlink_outside,
    "symlink_inside": _symlink_inside,
    "dangling_symlink": lambda p: p.symlink_to(p.parent / "no-such-file"),
    "directory": lambda p: p.mkdir(),
    "fifo": lambda p: os.mkfifo(p),
    "not_utf8_content": lambda p: p.write_bytes("---\ntitle: Café\n---\n\nÉdition.\n".encode("latin-1")),
    "huge_front_matter": lambda p: p.write_text("---\ntitle: Big\nsummary: " + "word " * 60_000 + "\n---\n\nBody.\n"),
}


# ---------------------------------------------------------------- the corpus as a project


@dataclass
class Case:
    folder: str  # "seeds" or "content"
    name: str
    expect: str
    visible: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def reason(self) -> Optional[str]:
        return self.expect.removeprefix("rejected: ") if self.expect.startswith("rejected: ") else None


def _place(folder: Path, entry: dict) -> Case:
    name = entry.get("name") or Path(entry["file"]).name
    target = folder / name
    if "generate" in entry:
        GENERATORS[entry["generate"]](target)
    else:
        shutil.copyfile(HOSTILE / entry["file"], target)
    assert entry["expect"] == "builds" or entry["expect"].startswith("rejected: "), entry
    return Case(folder.name, name, entry["expect"], tuple(entry.get("visible", ())), tuple(entry.get("absent", ())))


@dataclass
class Built:
    root: Path
    cases: list[Case]
    ordinary: list[str]  # origins of the articles that are not cases
    done: subprocess.CompletedProcess
    changed: set[str]  # paths under the test's folder that the build created, changed or removed
    pages: dict[str, Path]  # case.shown → its article page


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "project"
    (root / "seeds").mkdir(parents=True)
    (root / "content").mkdir()
    cases = [_place(root / "seeds", entry) for entry in CASES["seeds"]]
    cases += [_place(root / "content", entry) for entry in CASES["content"]]
    ordinary = []
    for seed in sorted(SAMPLE_SEEDS.glob("*.txt")):
        shutil.copy(seed, root / "seeds" / f"ordinary-{seed.name}")
        ordinary.append(f"seeds/ordinary-{seed.name}")
    before = tree(base)
    done = run_digest("build", "-C", str(root))
    changed = changed_paths(before, tree(base))
    by_origin = {}
    for path in (root / "content").glob("*.md"):
        try:
            article = parse_article(path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - the hostile content files themselves
            continue
        page = root / "site" / "articles" / f"{article.slug}.html"
        by_origin[article.origin or f"content/{path.name}"] = page
        by_origin.setdefault(article.origin.partition("#")[0], page)  # a feed file: its first entry's page
    return Built(root, cases, ordinary, done, changed, by_origin)


def test_the_build_finishes_with_exit_1_and_a_summary(built: Built) -> None:
    assert built.done.returncode == 1, built.done.stderr
    rejected = sum(1 for case in built.cases if case.reason and case.folder == "seeds")
    assert f"{rejected} rejected;" in built.done.stdout, built.done.stdout


def test_every_rejected_file_gets_one_line_naming_it_and_the_problem(built: Built) -> None:
    lines = built.done.stderr.splitlines()
    for case in built.cases:
        if case.reason is None:
            continue
        naming = [line for line in lines if line.startswith(case.shown + ": ")]
        assert len(naming) == 1, (case.shown, naming)
        assert case.reason in naming[0], (case.shown, naming[0])


def test_no_other_complaints(built: Built) -> None:
    rejected = tuple(case.shown + ": " for case in built.cases if case.reason)
    assert [line for line in built.done.stderr.splitlines() if not line.startswith(rejected)] == []


def test_every_case_that_builds_has_a_page_showing_its_text(built: Built) -> None:
    for case in built.cases:
        if case.reason is not None:
            continue
        key = f"seeds/{case.name}" if case.folder == "seeds" else f"content/{case.name}"
        if case.folder == "content":  # a hand-made file has no origin: find it by its own name
            path = built.root / key
            article = parse_article(path.read_text(encoding="utf-8"), path)
            page = built.root / "site" / "articles" / f"{article.slug}.html"
        else:
            page = built.pages.get(key)
        assert page is not None and page.is_file(), key
        assert page.resolve().is_relative_to((built.root / "site").resolve())
        text = page_text(page)
        for snippet in case.visible:
            assert snippet in text, (key, snippet)
        source = page.read_text(encoding="utf-8")
        for snippet in case.absent:
            assert snippet not in source, (key, snippet)


def test_no_ordinary_article_is_lost(built: Built) -> None:
    listed = set(sitemap_pages(built.root / "site"))
    for origin in built.ordinary:
        page = built.pages[origin]
        assert page.is_file() and page.relative_to(built.root / "site").as_posix() in listed


def test_nothing_is_written_outside_site_content_and_the_cache(built: Built) -> None:
    allowed = ("project/site", "project/content", "project/.digest-cache")
    outside = sorted(p for p in built.changed if not p.startswith(allowed))
    assert outside == []
    # the inputs are read, never touched: no case's file in content/ was rewritten either
    assert not any(
        p.startswith("project/content/") and Path(p).name in {c.name for c in built.cases} for p in built.changed
    )
    assert not Path("/tmp/digest-hostile-pwned").exists() and not Path("/tmp/digest-hostile-escape.html").exists()


def test_no_file_outside_the_project_is_read_into_it(built: Built) -> None:
    for folder in ("site", "content", ".digest-cache"):
        for path in (built.root / folder).rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path


def test_no_script_can_run_in_any_page_or_feed_and_feeds_stay_valid(built: Built) -> None:
    assert site_problems(built.root / "site") == []
    # the only scripts: the search box's, as the package has it, and Pagefind's runtime in each index shard
    site = built.root / "site"
    scripts = {p.relative_to(site).as_posix() for p in site.rglob("*.js")}
    assert (site / "static/search.js").read_bytes() == (STATIC / "search.js").read_bytes()
    assert all(re.fullmatch(r"pagefind/[\w-]+/pagefind(-worker)?\.js", p) for p in scripts - {"static/search.js"}), (
        scripts
    )


def test_every_page_the_sitemap_lists_exists_and_parses(built: Built) -> None:
    for path in sitemap_pages(built.root / "site"):
        assert page_text(built.root / "site" / path).strip(), path


def test_a_second_build_says_the_same_and_changes_nothing(built: Built) -> None:
    before = tree(built.root)
    again = run_digest("build", "-C", str(built.root))
    assert again.returncode == 1
    assert sorted(again.stderr.splitlines()) == sorted(built.done.stderr.splitlines())
    assert {p for p in changed_paths(before, tree(built.root)) if not p.startswith(".digest-cache/")} == set()


# ---------------------------------------------------------------- config


@pytest.mark.parametrize("entry", CASES["config"], ids=lambda e: e["expect"][:40])
def test_a_bad_config_exits_2_with_one_line_naming_the_key(tmp_path: Path, entry: dict) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    if "file" in entry:
        data = (HOSTILE / entry["file"]).read_bytes()
    else:
        data = bytes.fromhex(entry["bytes_hex"]) if "bytes_hex" in entry else entry["text"].encode("utf-8")
    (tmp_path / "digest.yaml").write_bytes(data)
    before = tree(tmp_path)
    # In-process through the same click command a user's `digest build` runs: the config is refused before
    # any stage starts, so a process of its own would add only interpreter start-up. An uncaught exception
    # would end the command with exit code 1 and a traceback in result.exception, never 2.
    done = CliRunner().invoke(cli, ["build", "-C", str(tmp_path)])
    assert done.exit_code == 2, done.exception
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest: digest.yaml") and entry["expect"] in lines[0], lines
    assert changed_paths(before, tree(tmp_path)) == set()  # refused before anything was written


# ---------------------------------------------------------------- permissions


# Root reads any file through these two capabilities; without them a mode-000 file is unreadable
# to its owner, root included. The process keeps its own user, so it still reads the checkout
# wherever that is (a private temp folder, another user's home): no other user is involved.
READ_ANYTHING = "-dac_override,-dac_read_search"


def _unprivileged(command: list[str]) -> list[str]:
    """The command as a process that cannot read past file permissions."""
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv (util-linux): cannot test permissions")
    return ["setpriv", f"--inh-caps={READ_ANYTHING}", f"--bounding-set={READ_ANYTHING}", "--", *command]


def test_an_unreadable_seed_and_content_file_are_named_and_the_rest_built(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "content").mkdir()
    _plain_article(project / "seeds" / "good.txt")
    _plain_article(project / "seeds" / "locked.txt")
    (project / "content" / "locked-edit.md").write_text("---\ntitle: Mine\n---\n\nHand made.\n", encoding="utf-8")
    (project / "seeds" / "locked.txt").chmod(0)
    (project / "content" / "locked-edit.md").chmod(0)
    done = subprocess.run(
        _unprivileged([sys.executable, "-m", "digest", "build", "-C", str(project)]),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert "seeds/locked.txt: rejected: cannot read: permission denied" in lines
    assert [line for line in lines if line.startswith("content/locked-edit.md: ")] == [
        "content/locked-edit.md: cannot read: Permission denied"
    ]
    assert len(list((project / "site" / "articles").glob("*.html"))) == 1
    assert stat.S_IMODE((project / "seeds" / "locked.txt").stat().st_mode) == 0  # left as it was
