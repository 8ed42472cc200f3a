"""`digest newsletter`: the email edition as a real .eml, its web copy, choosing digests, templates,
and sending through an SMTP server the test runs on 127.0.0.1 (never a real one)."""

from __future__ import annotations

import datetime as dt
import email
import re
import socket
from email import policy
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from digest.cli import cli
from digest.model import Article, dump_article

BASE = "https://example.org/news/"


def today() -> dt.date:
    """The edition's date, asked for after the command ran (a run may cross midnight: the site's zone is UTC here)."""
    return dt.datetime.now(dt.timezone.utc).date()


STORIES = [  # two topics, two digests
    (
        "council-approves-tram-line",
        "Council approves the east tram line",
        dt.date(2025, 4, 10),
        "Northern Courier",
        "transport",
        "The council voted 27 to 12 for a tram line linking the east districts to the centre.",
    ),
    (
        "tram-budget-questioned",
        "Auditors question the tram line budget",
        dt.date(2025, 4, 12),
        "Civic Ledger",
        "transport",
        "Auditors warned the tram line budget leaves no reserve for cost overruns on the east districts route.",
    ),
    (
        "port-strike-second-week",
        "Port strike enters a second week",
        dt.date(2025, 3, 3),
        "Harbour Gazette",
        "labour",
        "Dockworkers at the port kept up their strike over automation of the container terminals.",
    ),
    (
        "port-strike-mediation",
        "Port strike goes to mediation",
        dt.date(2025, 3, 5),
        "Harbour Gazette",
        "labour",
        "The dockworkers union and port operators agreed to mediation over automation at the container terminals.",
    ),
]


def write_article(
    content: Path,
    slug: str,
    title: str,
    date: dt.date,
    source: str,
    tag: str,
    sentence: str,
    closing: str = "Officials said more details would follow.",
) -> None:
    """A content file: the sentence opens the body and is the summary."""
    article = Article(
        slug=slug, title=title, body=f"{sentence}\n\n{closing}", date=date, source=source, tags=[tag], summary=sentence
    )
    (content / f"{slug}.md").write_text(dump_article(article), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "digest.yaml").write_text(
        f"title: Harbour & City\nbase_url: {BASE}\nnewsletter:\n  unsubscribe_url: https://example.org/unsubscribe\n",
        encoding="utf-8",
    )
    (tmp_path / "content").mkdir()
    for story in STORIES:
        write_article(tmp_path / "content", *story)
    return tmp_path


def _run(project: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["newsletter", "-C", str(project), *args], env=env, catch_exceptions=False)


def _parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def _html(mail) -> str:
    return mail.get_body(("html",)).get_content()


def test_the_eml_has_a_text_and_an_html_part_with_absolute_links(project: Path) -> None:
    result = _run(project, "-o", str(project / "out.eml"))
    assert result.exit_code == 0, result.output
    mail = _parse(project / "out.eml")
    assert mail.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mail.iter_parts()] == ["text/plain", "text/html"]
    assert mail["Subject"].startswith("Harbour & City: ") and mail["Subject"].endswith(" and 1 more")
    [author] = mail["From"].addresses
    assert (author.display_name, author.addr_spec) == ("Harbour & City", "no-reply@example.org") and mail["Message-ID"]
    assert mail["List-Unsubscribe"] == "<https://example.org/unsubscribe>"
    doc = lxml_html.fromstring(_html(mail))
    links = doc.xpath("//a/@href")
    assert links and all(urlsplit(link).scheme == "https" for link in links), links
    assert {f"{BASE}articles/{slug}.html" for slug, *_ in STORIES} <= set(links)
    assert f"{BASE}newsletter/{today().isoformat()}.html" in links  # view in the browser
    assert "https://example.org/unsubscribe" in links
    text = mail.get_body(("plain",)).get_content()
    assert all(f"{BASE}articles/{slug}.html" in text for slug, *_ in STORIES)
    assert all(title in text for _, title, *_ in STORIES) and "<" not in text.replace("<east>", "")
    assert not re.search(r"\]\(|href=", text)  # plain text, not Markdown or HTML


def test_the_html_part_follows_the_rules_of_html_email(project: Path) -> None:
    _run(project, "-o", str(project / "out.eml"))
    source = _html(_parse(project / "out.eml"))
    doc = lxml_html.fromstring(source)
    assert not doc.xpath("//script") and not doc.xpath("//link[@rel='stylesheet']")
    assert all(img.get("alt") is not None for img in doc.xpath("//img"))
    assert doc.xpath("//table[@role='presentation']"), "laid out with tables"
    assert doc.xpath("//meta[@name='color-scheme']/@content") == ["light dark"]
    styles = " ".join(doc.xpath("//style/text()"))
    assert "@media (prefers-color-scheme: dark)" in styles and "!important" in styles
    assert styles.strip().startswith("@media") and not re.search(r"}\s*}\s*[.\w]", styles), (
        "plain rules are inlined, not left"
    )
    assert doc.xpath("//h2/a/@style") and "text-decoration: none" in doc.xpath("//h2/a/@style")[0]
    first = doc.xpath("//body/*[1]")[0]  # the preheader: the inbox's preview line, hidden in the message
    assert first.tag == "div" and "display: none" in first.get("style")
    assert any(first.text_content().startswith(sentence[:40]) for *_, sentence in STORIES), first.text_content()[:80]


def test_the_edition_is_archived_and_published_with_a_list_of_editions(project: Path) -> None:
    assert _run(project).exit_code == 0
    day = today().isoformat()
    web = project / "site" / "newsletter" / f"{day}.html"
    mail = _parse(project / "newsletter" / f"{day}.eml")
    # the same HTML (mail lines end in CRLF, and a MIME part in a newline)
    assert web.read_text(encoding="utf-8").rstrip("\n") == _html(mail).replace("\r\n", "\n").rstrip("\n")
    listing = lxml_html.fromstring((project / "site/newsletter/index.html").read_bytes())
    assert listing.xpath("//main//a/@href") == [f"../newsletter/{day}.html"]
    assert listing.xpath("string(//main//a)") == mail["Subject"]
    # a plain build keeps publishing it
    assert CliRunner().invoke(cli, ["build", "-C", str(project)]).exit_code == 0
    assert web.exists()


def test_choosing_digests(project: Path) -> None:
    assert _run(project, "--last", "1", "-o", str(project / "one.eml")).exit_code == 0
    one = _parse(project / "one.eml")
    assert " and " not in one["Subject"] and "tram" in one["Subject"].lower()
    assert _run(project, "--since", "2025-04-01", "-o", str(project / "since.eml")).exit_code == 0
    assert "Port strike" not in _parse(project / "since.eml").get_body(("plain",)).get_content()
    assert _run(project, "--since", "2025-01-01", "--last", "2").exit_code == 2
    # the default after an edition: the digests updated since it (none here)
    (project / "newsletter" / f"{today().isoformat()}.json").rename(project / "newsletter" / "2025-04-11.json")
    (project / "newsletter" / f"{today().isoformat()}.html").rename(project / "newsletter" / "2025-04-11.html")
    result = _run(project, "-o", str(project / "next.eml"))
    assert result.exit_code == 0
    assert "Port strike" not in _parse(project / "next.eml").get_body(("plain",)).get_content()


def test_templates_can_be_replaced_and_a_broken_one_falls_back_in_one_line(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    (templates / "newsletter.txt").write_text(
        "Our edition of {{ edition.date }}: {{ digests|length }} digests.\n", encoding="utf-8"
    )
    (templates / "newsletter.html").write_text("<p>{{ edition.nonsense }}</p>\n", encoding="utf-8")
    result = _run(project, "-o", str(project / "out.eml"))
    mail = _parse(project / "out.eml")
    assert mail.get_body(("plain",)).get_content().startswith("Our edition of ")
    assert "View in your browser" in _html(mail)  # the built-in one
    lines = [line for line in result.output.splitlines() if "templates/newsletter.html" in line]
    assert len(lines) == 1 and "nonsense" in lines[0] and "using the built-in template" in lines[0]


# ---------------------------------------------------------------- sending


class _Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"desk", b"s3cret")
        return AuthResult(success=ok, handled=False)

    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _sending(project: Path, port: int, *, starttls: bool = False) -> None:
    (project / "digest.yaml").write_text(
        f"title: Harbour & City\nbase_url: {BASE}\nnewsletter:\n  sender: Desk <desk@example.org>\n"
        f"  smtp:\n    host: 127.0.0.1\n    port: {port}\n    starttls: {str(starttls).lower()}\n    user: desk\n"
        f"    password_env: HARBOUR_SMTP\n",
        encoding="utf-8",
    )
    (project / "subscribers.txt").write_text(
        "# readers\nana@example.net\nBo Li <bo@example.net>\nnot an address\nana@example.net\n", encoding="utf-8"
    )


def test_send_mails_each_reader_their_own_copy(project: Path, smtp) -> None:
    inbox, port = smtp
    _sending(project, port)
    result = _run(project, "--send", env={"HARBOUR_SMTP": "s3cret"})
    assert result.exit_code == 1, result.output  # one line of the list was not an address
    assert "subscribers.txt: line 4: not an email address: 'not an address'; skipped" in result.output
    assert [to for _, to, _ in inbox.received] == [["ana@example.net"], ["bo@example.net"]]
    for sender, (to,), data in inbox.received:
        mail = email.message_from_bytes(data, policy=policy.default)
        assert sender == "desk@example.org" and to in mail["To"]
        assert [part.get_content_type() for part in mail.iter_parts()] == ["text/plain", "text/html"]
    assert "sent “Harbour & City: " in result.output and "to 2 addresses" in result.output


def test_a_wrong_or_missing_password_is_one_line(project: Path, smtp) -> None:
    inbox, port = smtp
    _sending(project, port)
    wrong = _run(project, "--send", env={"HARBOUR_SMTP": "guess"})
    assert wrong.exit_code == 1 and "refused the login of 'desk'" in wrong.output and "Traceback" not in wrong.output
    missing = _run(project, "--send", env={"HARBOUR_SMTP": ""})
    assert missing.exit_code == 2
    assert "set the SMTP password in the environment variable HARBOUR_SMTP" in missing.output
    assert inbox.received == []


def test_starttls_that_the_server_lacks_is_refused_not_skipped(project: Path, smtp) -> None:
    inbox, port = smtp
    _sending(project, port, starttls=True)
    result = _run(project, "--send", env={"HARBOUR_SMTP": "s3cret"})
    assert result.exit_code == 1 and "does not offer STARTTLS" in result.output
    assert inbox.received == []


def test_dry_run_says_what_would_be_sent_and_changes_nothing(project: Path, smtp) -> None:
    inbox, port = smtp
    _sending(project, port)
    result = _run(project, "--send", "--dry-run", env={"HARBOUR_SMTP": "s3cret"})
    assert "Would send through 127.0.0.1:%d as desk to 2 addresses:" % port in result.output
    assert "  Bo Li <bo@example.net>" in result.output and "Subject: Harbour & City: " in result.output
    assert "Council approves the east tram line" in result.output  # the text part
    assert inbox.received == [] and not (project / "newsletter").exists() and not (project / "site").exists()


def test_the_password_is_never_a_setting(project: Path) -> None:
    (project / "digest.yaml").write_text("newsletter:\n  smtp:\n    password: hunter2\n", encoding="utf-8")
    result = _run(project)
    assert result.exit_code == 2 and "password: never kept in digest.yaml" in result.output
