"""Nothing lost: `digest build` SIGKILLed at random moments, and builds racing `digest serve`.

One project of ~300 realistic seeds (benchmarks/generate_corpus.py) is changed
and rebuilt many times, each build killed (with its worker processes: the whole
process group) after a random delay. After every kill: site/ is a complete site
(the previous one, or the new one if the swap had happened), no content file is
truncated, and hand edits are untouched. A final clean build must succeed.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_serve import ServeProcess

from digest.model import FrontMatterError, parse_article

from hostile_checks import page_text, run_digest, sitemap_pages, tree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate_corpus import generate_one  # noqa: E402

SEEDS = 300
KILLS = 25
CORPUS_SEED = 11
RNG_SEED = 20250814


def _write_seed(seeds: Path, index: int) -> None:
    generated = generate_one(CORPUS_SEED, index)
    (seeds / generated.file_name).write_bytes(generated.raw)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class History:
    """What every content file has been, and the last complete site."""

    root: Path
    versions: dict[str, set[str]] = field(default_factory=dict)  # content file name → sha256 of each version
    hand_edits: dict[str, bytes] = field(default_factory=dict)  # content file name → the editor's bytes
    site: dict[str, str] = field(default_factory=dict)  # tree() of the last complete site/

    def record_complete_build(self) -> None:
        for path in (self.root / "content").glob("*.md"):
            self.versions.setdefault(path.name, set()).add(_sha(path))
        self.site = tree(self.root / "site")


BASE_URL = "http://127.0.0.1:8000/"  # the default config's


def _start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "build", "-C", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: the kill takes its worker processes too
    )


def assert_complete_site(site: Path, base_url: str = "http://127.0.0.1:8000/") -> list[str]:
    pages = sitemap_pages(site, base_url)
    assert pages, "empty sitemap"
    for page in pages:
        assert page_text(site / page).strip(), page
    for page in site.rglob("*.html"):
        assert page.read_bytes().rstrip().endswith(b"</html>"), f"half-written: {page}"
    return pages


def assert_content_intact(history: History) -> None:
    for path in sorted((history.root / "content").glob("*.md")):
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() in history.versions.get(path.name, set()):
            continue
        try:  # a version the killed build wrote: it must be whole
            parse_article(data.decode("utf-8"), path)
        except (UnicodeDecodeError, FrontMatterError) as error:
            raise AssertionError(f"{path.name} is neither a known version nor a whole file: {error}") from None
        assert data.endswith(b"\n"), f"{path.name} is truncated"
    for name, data in history.hand_edits.items():
        assert (history.root / "content" / name).read_bytes() == data, f"hand edit of {name} lost"


def _mutate(rng: random.Random, history: History, round_number: int) -> str:
    """One change an editor might make before a build: what the killed build then works on."""
    root = history.root
    kind = rng.choice(["seeds", "seeds", "config", "edit", "new"])
    if kind == "seeds":
        for path in rng.sample(sorted((root / "seeds").glob("*.txt")), rng.randint(3, 40)):
            with path.open("ab") as handle:
                handle.write(f"\nOfficials gave an update in round {round_number}, the spokesperson said.\n".encode())
    elif kind == "config":
        (root / "digest.yaml").write_text(f"title: Interrupted digest {round_number}\nper_page: {rng.randint(5, 30)}\n")
    elif kind == "edit":
        choices = sorted(p for p in (root / "content").glob("*.md") if p.name not in history.hand_edits)
        path = rng.choice(choices)
        text = path.read_text(encoding="utf-8").replace("\ntitle: ", f"\ntitle: Edited {round_number} — ", 1)
        path.write_text(text, encoding="utf-8")
        history.hand_edits[path.name] = path.read_bytes()
        history.versions.setdefault(path.name, set()).add(_sha(path))
        # and its seed changes too: the edit must still win
        origin = parse_article(text, path).origin
        with (root / origin).open("ab") as handle:
            handle.write(b"\nA late correction was added to the wire copy.\n")
    else:
        start = SEEDS + 10 * round_number
        for index in range(start, start + 10):
            _write_seed(root / "seeds", index)
    return kind


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> History:
    root = tmp_path_factory.mktemp("interrupted")
    (root / "seeds").mkdir()
    (root / "content").mkdir()
    for index in range(SEEDS):
        _write_seed(root / "seeds", index)
    done = run_digest("build", "-C", str(root))
    assert done.returncode == 0, done.stderr
    history = History(root)
    history.record_complete_build()
    return history


@pytest.mark.slow
def test_killed_builds_never_lose_the_site_or_a_content_file(project: History) -> None:
    rng = random.Random(RNG_SEED)
    killed = finished = 0
    for round_number in range(KILLS):
        _mutate(rng, project, round_number)
        build = _start_build(project.root)
        delay = rng.uniform(0.2, 6.0)
        try:
            out, err = build.communicate(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGKILL)
            out, err = build.communicate(timeout=30)
            killed += 1
        else:
            finished += 1
            assert build.returncode == 0, err
            assert "Traceback" not in err
        site = tree(project.root / "site")
        if build.returncode == 0 or site != project.site:  # finished, or killed after the swap
            assert_complete_site(project.root / "site")
            project.site = site
        assert_content_intact(project)
        if build.returncode == 0:
            project.record_complete_build()
    assert killed >= KILLS // 2, f"only {killed} of {KILLS} builds were killed before they finished"

    # a clean build afterwards: succeeds, consistent, every hand edit kept and shown
    done = run_digest("build", "-C", str(project.root))
    assert done.returncode == 0, done.stderr
    pages = assert_complete_site(project.root / "site")
    content = sorted((project.root / "content").glob("*.md"))
    articles = [parse_article(p.read_text(encoding="utf-8"), p) for p in content]
    assert sorted(f"articles/{a.slug}.html" for a in articles) == sorted(p for p in pages if p.startswith("articles/"))
    for name, data in project.hand_edits.items():
        assert (project.root / "content" / name).read_bytes() == data
        article = parse_article(data.decode("utf-8"))
        assert article.title in page_text(project.root / "site" / "articles" / f"{article.slug}.html")
    leftovers = [p.name for p in project.root.iterdir() if p.name.startswith((".site.tmp-", ".site.old-"))]
    assert leftovers == []
    project.record_complete_build()


@pytest.mark.slow
def test_a_build_racing_digest_serve_corrupts_nothing(project: History) -> None:
    root = project.root
    server = ServeProcess(root)
    try:
        server.wait_for(r"\d+ pages", timeout=120)
        edited = sorted((root / "content").glob("*.md"))[7]
        text = edited.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Served edit — ", 1)
        edited.write_text(text, encoding="utf-8")
        (root / "digest.yaml").write_text("title: Raced digest\n")  # the server's rebuild re-renders every page
        builds = [_start_build(root) for _ in range(2)]
        results = [build.communicate(timeout=180) for build in builds]
        for build, (_, err) in zip(builds, results):
            assert "Traceback" not in err
            # the lock makes a second build wait for the first, or refuse with a clear message
            assert build.returncode == 0 or (build.returncode == 2 and "another build is running" in err), err
        assert any(build.returncode == 0 for build in builds)
        deadline = time.monotonic() + 60
        article = parse_article(text, edited)
        while "Served edit" not in server.get(f"/articles/{article.slug}.html")[1]:
            assert time.monotonic() < deadline, "\n".join(server.lines)
            time.sleep(0.2)
        assert "Raced digest" in server.get("/")[1]
    finally:
        assert server.stop() is not None
    assert edited.read_text(encoding="utf-8") == text
    project.hand_edits[edited.name] = text.encode("utf-8")
    project.versions.setdefault(edited.name, set()).add(_sha(edited))
    assert_content_intact(project)
    # Whichever built last links as it does: `digest build` to base_url, the preview to itself (its
    # idle search update runs after the racing builds, as a rule).
    preview = server.url.rstrip("/") + "/"
    assert_complete_site(root / "site", preview if preview in (root / "site/sitemap.xml").read_text() else BASE_URL)
    done = run_digest("build", "-C", str(root))
    assert done.returncode == 0, done.stderr
    assert "Raced digest" in page_text(root / "site" / "index.html")
