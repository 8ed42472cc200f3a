"""Ingest over real folders: the sample seeds end to end, edit safety, slugs, and bad input."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from digest.config import Config
from digest.ingest import ingest_all, store
from digest.ingest.decode import MAX_SEED_BYTES
from digest.ingest.seed import ingest_seed
from digest.ingest.store import is_untouched
from digest.model import read_article

SAMPLES = Path(__file__).resolve().parent.parent / "seeds"


def run(root: Path, **kwargs):
    return ingest_all(Config(root=root), **kwargs)


def articles(root: Path) -> dict[str, object]:
    return {a.origin: a for a in (read_article(p) for p in sorted((root / "content").glob("*.md")))}


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "content").glob("*.md"))}


def seed(root: Path, name: str, data: bytes | str) -> Path:
    path = root / "seeds" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


ARTICLE = "Harbour ferry fares rise for second time this year\n\nThe harbour authority raised ferry fares by 5% on Monday, citing fuel costs.\n\nCommuters said the rise was unfair.\n"


# ------------------------------------------------------------------ the samples end to end


def test_sample_seeds_end_to_end(project: Path) -> None:
    report = run(project)
    assert (report.read, report.written, report.rejected) == (5, 5, [])
    made = articles(project)
    assert set(made) == {f"seeds/{p.name}" for p in SAMPLES.glob("*.txt")}
    first = made["seeds/000_657ed7c5eb11b748.txt"]
    assert first.title == "White House Hints at Trump Visit to Russia"
    assert first.date == dt.date(2025, 8, 14) and first.source == "MENAFN"
    second = made["seeds/002_5072c138996bf7e0.txt"]
    assert second.date == dt.date(2025, 6, 29) and second.source == "UNN"
    assert second.body.startswith("The question of a possible meeting")
    assert made["seeds/003_ef71fd7893344dd8.txt"].source == "Newsmax"
    assert made["seeds/001_e09970fce74b3805.txt"].source == ""  # nothing names the publisher
    for article in made.values():
        assert article.title and "Untitled" not in article.title and len(article.title) <= 130
        assert not re.search(
            r"^(Share\.?|Leave A Reply|Exit mobile version|See also.*|WATCH.*|Read the full article here|©.*)$",
            article.body,
            re.MULTILINE,
        )
        assert "date 2025" not in article.body
        tags = set(article.tags)
        assert not {"Zelensky", "Zelenskyy", "Putin", "Monday", "Tuesday", "President"} & tags
        assert "Vladimir Putin" in tags and "Volodymyr Zelensky" in tags
        assert 1 <= len(article.summary) <= 330


def test_no_sentence_of_a_sample_is_lost(project: Path) -> None:
    run(project)
    chrome = re.compile(
        r"^(Share\.?|Leave A Reply|Exit mobile version|See also.*|WATCH.*|Read the full article here|©.*|\s*date \d{4}-\d\d-\d\d( \d+)?)$"
    )
    for path in SAMPLES.glob("*.txt"):
        article = articles(project)[f"seeds/{path.name}"]
        flat_body = " ".join(article.body.split())
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*date \d{4}-\d\d-\d\d(\s+\d+$)?\s*", "", line)
            line = " ".join(line.replace("\u00a0", " ").split())
            if not line or chrome.match(line) or line == article.title:
                continue
            assert line in flat_body, f"{path.name}: lost {line!r}"


def test_rebuild_is_unchanged_and_delete_rebuild_is_byte_identical(project: Path) -> None:
    run(project)
    first = snapshot(project)
    again = run(project)
    assert (again.written, again.unchanged) == (0, 5)
    shutil.rmtree(project / "content")
    run(project)
    assert snapshot(project) == first


def test_parallel_run_gives_the_same_files(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        for index in range(60):
            saved = seed(root, f"s{index:03}.txt", ARTICLE.replace("5%", f"{index}%"))
            os.utime(saved, (1_750_000_000, 1_750_000_000))  # the same seeds, saved at the same time
    run(one, jobs=1)
    run(two, jobs=2)
    assert snapshot(one) == snapshot(two) and len(snapshot(one)) == 60


# ------------------------------------------------------------------ edit safety


def test_hand_edit_is_kept_and_a_changed_seed_is_reported(project: Path) -> None:
    run(project)
    target = next((project / "content").glob("white-house*.md"))
    edited = target.read_text(encoding="utf-8").replace("White House Hints", "White House Signals")
    target.write_text(edited, encoding="utf-8")
    assert not is_untouched(edited)
    report = run(project)
    assert target.read_text(encoding="utf-8") == edited and report.written == 0
    seed_path = project / "seeds" / "000_657ed7c5eb11b748.txt"
    seed_path.chmod(0o644)
    seed_path.write_text(
        seed_path.read_text(encoding="utf-8") + "\nA new closing sentence was added.\n", encoding="utf-8"
    )
    report = run(project)
    assert target.read_text(encoding="utf-8") == edited
    assert (
        f"content/{target.name}: kept your edits; its seed seeds/000_657ed7c5eb11b748.txt changed since"
        in report.messages
    )


@pytest.mark.parametrize("digits", ["1234567890123456", "1e34567890123456", "0000000000000012"])
def test_a_hash_that_reads_as_a_number_is_written_as_text(digits: str, monkeypatch) -> None:
    monkeypatch.setattr(store, "short_hash", lambda data: digits)
    article = ingest_seed(ARTICLE.encode("utf-8"), "seeds/x.txt", Config()).article
    assert article is not None
    article = replace(article, slug="x")
    written = store.render_content(article)
    assert is_untouched(written)
    assert yaml.safe_load(written.split("---")[1])["ingest_hash"] == digits
    assert written.endswith(article.body.strip("\n") + "\n")


def test_removing_the_hash_line_counts_as_an_edit(project: Path) -> None:
    run(project)
    target = next((project / "content").glob("white-house*.md"))
    text = re.sub(r"^ingest_hash:.*\n", "", target.read_text(encoding="utf-8"), flags=re.MULTILINE)
    target.write_text(text, encoding="utf-8")
    run(project)
    assert target.read_text(encoding="utf-8") == text


def test_broken_front_matter_edit_is_kept_not_duplicated(project: Path) -> None:
    run(project)
    target = next((project / "content").glob("white-house*.md"))
    broken = target.read_text(encoding="utf-8").replace("title: White House", "title: [White House")
    target.write_text(broken, encoding="utf-8")
    before = len(list((project / "content").glob("*.md")))
    run(project)
    assert target.read_text(encoding="utf-8") == broken
    assert len(list((project / "content").glob("*.md"))) == before


def test_untouched_file_is_regenerated_when_its_seed_changes(tmp_path: Path) -> None:
    path = seed(tmp_path, "ferry.txt", ARTICLE)
    run(tmp_path)
    path.write_text(ARTICLE + "\nThe authority promised a review next year.\n", encoding="utf-8")
    report = run(tmp_path)
    assert report.written == 1
    (article,) = articles(tmp_path).values()
    assert "promised a review" in article.body and article.slug == "harbour-ferry-fares-rise-for-second-time-this-year"


def test_new_seed_added_and_removed_seed_reported(project: Path) -> None:
    run(project)
    seed(project, "zz_new.txt", ARTICLE)
    report = run(project)
    assert (
        report.written == 1 and (project / "content" / "harbour-ferry-fares-rise-for-second-time-this-year.md").exists()
    )
    (project / "seeds" / "zz_new.txt").unlink()
    report = run(project)
    assert (project / "content" / "harbour-ferry-fares-rise-for-second-time-this-year.md").exists()
    assert (
        "content/harbour-ferry-fares-rise-for-second-time-this-year.md: kept; its seed seeds/zz_new.txt is gone"
        in report.messages
    )


# ------------------------------------------------------------------ slugs and names


def test_same_headline_twice_never_overwrites(tmp_path: Path) -> None:
    seed(tmp_path, "a.txt", ARTICLE)
    seed(tmp_path, "b.txt", ARTICLE.replace("Commuters", "Drivers"))
    run(tmp_path)
    made = articles(tmp_path)
    slugs = {a.slug for a in made.values()}
    assert len(slugs) == 2 and "harbour-ferry-fares-rise-for-second-time-this-year" in slugs
    assert all(s.isascii() for s in slugs)
    # the suffix comes from the seed, so it does not depend on the run
    shutil.rmtree(tmp_path / "content")
    run(tmp_path)
    assert {a.slug for a in articles(tmp_path).values()} == slugs


def test_slug_avoids_a_file_differing_only_in_case(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "Harbour-Ferry-Fares-Rise-For-Second-Time-This-Year.md").write_text(
        "---\ntitle: Mine\n---\n\nHand made.\n", encoding="utf-8"
    )
    seed(tmp_path, "a.txt", ARTICLE)
    run(tmp_path)
    assert len(list((tmp_path / "content").glob("*.md"))) == 2
    assert (
        (tmp_path / "content" / "Harbour-Ferry-Fares-Rise-For-Second-Time-This-Year.md")
        .read_text(encoding="utf-8")
        .endswith("Hand made.\n")
    )


def test_file_names_with_spaces_quotes_dashes_and_non_ascii(tmp_path: Path) -> None:
    for name in ("my article.txt", "Zürich “news”.txt", "-leading dash.txt", "Case.txt", "case.txt"):
        seed(tmp_path, name, ARTICLE.replace("Commuters", name.replace(".txt", "")))
    report = run(tmp_path)
    assert report.rejected == [] and report.written == 5
    assert "seeds/Zürich “news”.txt" in articles(tmp_path)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\t\n  ", "no text (whitespace only)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file (PNG image)"),
        (b"PK\x03\x04" + b"\x00" * 100, "binary file (zip archive)"),
        (b"Some text\x00with a NUL\x00byte", "binary file (contains NUL bytes)"),
    ],
)
def test_rejected_with_one_clear_line(tmp_path: Path, data: bytes, reason: str) -> None:
    seed(tmp_path, "bad.txt", data)
    seed(tmp_path, "good.txt", ARTICLE)
    report = run(tmp_path)
    assert report.rejected == [f"seeds/bad.txt: rejected: {reason}"]
    assert report.rejected[0] in report.messages and report.written == 1


def test_legacy_encodings_are_decoded(tmp_path: Path) -> None:
    text = "Café owners protest “new” rules\n\nThe café association said the rules were unfair — and costly.\n"
    seed(tmp_path, "cp1252.txt", text.encode("cp1252"))
    seed(tmp_path, "utf16.txt", text.encode("utf-16"))
    seed(tmp_path, "utf8bom.txt", "\ufeff" + text.replace("Café", "Bistro"))
    report = run(tmp_path)
    assert report.rejected == []
    made = articles(tmp_path)
    assert made["seeds/cp1252.txt"].title == "Café owners protest “new” rules"
    assert "unfair — and costly" in made["seeds/utf16.txt"].body
    assert made["seeds/utf8bom.txt"].title == "Bistro owners protest “new” rules"


def test_invalid_utf8_does_not_crash(tmp_path: Path) -> None:
    seed(tmp_path, "mixed.txt", b"Council meeting ends early\n\nThe council met\xff\xfe on Monday and voted.\n")
    report = run(tmp_path)
    assert report.read == 1
    assert report.written + len(report.rejected) == 1


def test_big_file_rejected_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "seeds" / "huge.txt"
    big.parent.mkdir(parents=True)
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    report = run(tmp_path)
    assert report.rejected == [
        f"seeds/huge.txt: rejected: too large (50 MB; the limit is {MAX_SEED_BYTES // 2**20} MB)"
    ]


def test_symlink_outside_seeds_and_unreadable_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "link.txt").symlink_to(secret)
    locked = seed(tmp_path, "locked.txt", ARTICLE)
    locked.chmod(0)
    seed(tmp_path, "good.txt", ARTICLE)
    try:
        report = run(tmp_path)
    finally:
        locked.chmod(0o644)
    assert "seeds/link.txt: rejected: symlink points outside the seeds folder" in report.rejected
    if os.geteuid() != 0:  # root reads anything
        assert "seeds/locked.txt: rejected: cannot read: permission denied" in report.rejected
    assert report.written >= 1


def test_a_single_one_megabyte_line(tmp_path: Path) -> None:
    seed(tmp_path, "line.txt", "word " * 200_000)
    report = run(tmp_path)
    assert report.rejected == [] and report.written == 1
    (article,) = articles(tmp_path).values()
    assert len(article.title) <= 130


def test_per_seed_function_takes_bytes(tmp_path: Path) -> None:
    outcome = ingest_seed(ARTICLE.encode(), "seeds/x.txt", Config(root=tmp_path))
    assert outcome.article.title.startswith("Harbour ferry") and outcome.seed_hash and not outcome.rejected
    assert ingest_seed(b"", "seeds/y.txt", Config(root=tmp_path)).rejected == "empty file"


def test_cli_exit_code_is_1_when_a_seed_is_rejected(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from digest.cli import cli

    seed(tmp_path, "good.txt", ARTICLE)
    seed(tmp_path, "bad.txt", b"")
    (tmp_path / "content").mkdir()
    # in-process, through the command `digest build` runs (a process of its own only added start-up time)
    done = CliRunner().invoke(cli, ["build", "-C", str(tmp_path)])
    assert done.exit_code == 1
    assert isinstance(done.exception, SystemExit), done.exception  # the exit code, not an uncaught exception
    assert "seeds/bad.txt: rejected: empty file" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "content" / "harbour-ferry-fares-rise-for-second-time-this-year.md").exists()
