"""Every file in seeds/ is either read or named in one line with the reason it is not."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.cli import cli
from digest.ingest.kinds import KINDS, is_scratch, kind_of, scan_seeds, sniff

from conftest import SAMPLE_SEEDS

ARTICLE = b"Harbour strike ends\n\nDockers in the port voted on Monday to accept a new pay offer, ending nine days of strikes.\n"


def _docx() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


SKIPPED = {
    "report.docx": (_docx(), "Word documents are not read; save it as text"),
    "archive.mhtml": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "saved web pages are not read"),
    "letter.rtf": (b"{\\rtf1\\ansi Hello}", "RTF files are not read; save it as text"),
    "scan.pdf": (b"%PDF-1.4 binary", "PDF documents are not read"),
    "photo.jpg": (b"\xff\xd8\xff\xe0 jpeg", "images are not articles"),
    # no suffix, or one the table does not know: the first bytes tell
    "statement.bin": (b"%PDF-1.7 binary", "PDF documents are not read"),
    "minutes": (_docx(), "Word documents are not read; save it as text"),
}


def _build(root: Path):
    return CliRunner().invoke(cli, ["build", "-C", str(root), "--no-progress"])


@pytest.fixture
def seeds_project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "seeds" / "story.txt").write_bytes(ARTICLE)
    return tmp_path


def test_every_file_not_read_is_named_with_the_reason(seeds_project: Path) -> None:
    seeds = seeds_project / "seeds"
    for name, (data, _) in SKIPPED.items():
        (seeds / name).write_bytes(data)
    (seeds / "archive").mkdir()
    (seeds / "archive" / "old.txt").write_bytes(ARTICLE)
    result = _build(seeds_project)
    lines = result.stderr.splitlines()
    for name, (_, reason) in SKIPPED.items():
        naming = [line for line in lines if line.startswith(f"seeds/{name}: ")]
        assert len(naming) == 1 and naming[0].startswith(f"seeds/{name}: skipped: {reason}"), (name, lines)
    assert "seeds/archive/: skipped: folders in seeds/ are not read; move the articles into seeds/ itself" in lines
    assert len(lines) == len(SKIPPED) + 1  # one line each, nothing else
    assert result.exit_code == 1  # not everything was used
    assert f"{len(SKIPPED) + 1} skipped" in result.stdout
    assert len(list((seeds_project / "content").glob("*.md"))) == 1


def test_text_is_read_whatever_its_name_and_hidden_and_scratch_files_are_ignored(seeds_project: Path) -> None:
    seeds = seeds_project / "seeds"
    (seeds / "wire-story").write_bytes(ARTICLE.replace(b"Harbour", b"Airport"))  # plain text without a suffix
    (seeds / "STORY2.TXT").write_bytes(ARTICLE.replace(b"Harbour", b"Railway"))
    (seeds / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (seeds / ".gitkeep").write_bytes(b"")
    (seeds / "story.txt~").write_bytes(ARTICLE)  # an editor's backup of story.txt
    (seeds / "#story.txt#").write_bytes(ARTICLE)
    result = _build(seeds_project)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "3 seeds read" in result.stdout
    assert len(list((seeds_project / "content").glob("*.md"))) == 3


def test_a_txt_that_is_not_text_is_still_rejected_by_the_text_reader(seeds_project: Path) -> None:
    (seeds_project / "seeds" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (seeds_project / "seeds" / "folder.txt").mkdir()
    result = _build(seeds_project)
    assert "seeds/photo.txt: rejected: binary file (PNG image)" in result.stderr
    assert "seeds/folder.txt: rejected: not a regular file" in result.stderr


def test_the_lines_follow_the_folder_as_it_is_now_not_a_cache(seeds_project: Path) -> None:
    assert _build(seeds_project).stderr == ""
    assert _build(seeds_project).stderr == ""  # nothing changed: the ingest is replayed from its cache
    (seeds_project / "seeds" / "report.docx").write_bytes(_docx())
    assert _build(seeds_project).stderr.splitlines() == [
        "seeds/report.docx: skipped: Word documents are not read; save it as text"
    ]
    (seeds_project / "seeds" / "report.docx").unlink()
    result = _build(seeds_project)
    assert (result.stderr, result.exit_code) == ("", 0)


def test_the_bundled_samples_are_all_read(tmp_path: Path) -> None:
    for seed in SAMPLE_SEEDS.iterdir():
        assert kind_of(seed).read, seed


def test_every_kind_not_read_says_why_and_suffixes_are_unique() -> None:
    suffixes = [suffix for kind in KINDS for suffix in kind.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in suffixes)
    assert all(kind.read or kind.reason for kind in KINDS)


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"Plain words about a harbour strike.\n", "text"),
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "JSON file"),
        (b"<!-- saved by a browser -->\n<HTML><HEAD>", "HTML page"),
        (b"PK\x03\x04\x14\x00mimetypeapplication/vnd.oasis.opendocument.text", "OpenDocument text"),
        (b"\x1f\x8b\x08\x00", "archive"),
        (b"SQLite format 3\x00", "SQLite database"),
    ],
)
def test_a_file_without_a_known_suffix_is_told_by_its_first_bytes(head: bytes, kind: str) -> None:
    assert sniff(head).name == kind


def test_a_seeds_folder_that_is_not_there_is_no_problem(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "digest.yaml").write_text("", encoding="utf-8")
    result = _build(tmp_path)
    assert result.exit_code == 0 and result.stderr == ""


_SUFFIXES = sorted({suffix for kind in KINDS for suffix in kind.suffixes} | {".TXT", ".Txt", ".", ".txt.", ".md~", ""})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(alphabet="abc .-_#~", min_size=1, max_size=6), st.sampled_from(_SUFFIXES), st.booleans()),
        min_size=1,
        max_size=8,
        unique_by=lambda entry: entry[0] + entry[1],
    )
)
def test_the_scan_reads_each_entry_as_its_own_kind_says(tmp_path_factory, entries) -> None:
    folder = tmp_path_factory.mktemp("seeds")
    for stem, suffix, is_folder in entries:
        path = folder / (stem + suffix)
        if path.name in (".", "..") or path.exists():
            continue
        if is_folder:
            path.mkdir()
        else:
            path.write_bytes(b"Harbour strike ends\n\nDockers voted on Monday to accept a new pay offer.\n")
    scan = scan_seeds(folder, "seeds/")
    expected = [
        (str(folder / name), "seeds/" + name, kind_of(folder / name))
        for name in sorted(entry.name for entry in folder.iterdir())
        if not is_scratch(name) and kind_of(folder / name).read
    ]
    assert scan.read == expected
