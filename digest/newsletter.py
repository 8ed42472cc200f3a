"""The email edition: the latest digests as one email, a plain-text part beside the HTML one.

`digest newsletter` picks the digests (those updated since the last edition, or
`--since`/`--last`), renders `newsletter.html` and `newsletter.txt` (a project's
`templates/` may replace either), inlines the HTML's stylesheet with css-inline
(mail clients drop <style>; the dark-mode rules stay in one for those that read
it), and makes a `multipart/alternative` message with the standard library. Each
edition is kept in the project's archive folder, from which the build publishes
its web copy (`site/newsletter/<date>.html`) and a list of editions.
`--send` hands it to an SMTP server, one message per address in the list file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import jinja2

from .config import Config
from .model import Digest, date_sort_value
from .site import ARTICLE, DIGEST, EDITION, EDITIONS, Site

TEMPLATES = ("newsletter.html", "newsletter.txt")
PREHEADER_LENGTH = 140
_BUILTIN = Path(__file__).resolve().parent / "templates"


class NewsletterError(Exception):
    """Something a user can fix; the message names the file or setting, in one line.
    `setting`: a setting or file to fix first (the command exits 2), not a failure on the way (1)."""

    def __init__(self, message: str, *, setting: bool = False) -> None:
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class Edition:
    date: str  # YYYY-MM-DD: its name in the archive and on the site
    subject: str
    preheader: str
    digests: tuple[str, ...]  # names
    html: str
    text: str


@dataclass(frozen=True)
class Archived:
    """An edition as the site publishes it: its web copy and what the list of editions shows."""

    date: str
    subject: str
    preheader: str
    html: bytes


# ---------------------------------------------------------------- which digests


def choose_digests(
    site: Site, *, since: Optional[dt.date] = None, last: Optional[int] = None, previous: Optional[str] = None
) -> list[Digest]:
    """Newest first: those with an article on or after `since`; else the `last` N; else those updated
    after the `previous` edition's date; else the newest `newsletter.digests`."""
    newest = sorted(site.digests, key=lambda d: (date_sort_value(d.date_to), d.slug), reverse=True)
    if since is not None:
        return [d for d in newest if (day := _day(d.date_to)) is not None and day >= since]
    if last is not None:
        return newest[:last]
    if previous is not None:
        after = dt.date.fromisoformat(previous)
        return [d for d in newest if (day := _day(d.date_to)) is not None and day > after][
            : site.config.newsletter.digests
        ]
    return newest[: site.config.newsletter.digests]


def _day(value: Any) -> Optional[dt.date]:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


# ---------------------------------------------------------------- making it


def make_edition(site: Site, digests: list[Digest], today: dt.date, warn: Callable[[str], None]) -> Edition:
    from .render.dates import date_info, range_text

    config = site.config
    zone, language = config.tz, config.language

    def absolute(path: str) -> str:  # base_url ends in "/", and site paths never start with one
        return config.base_url + path

    shown = [_digest_context(d, site, absolute, zone, language, range_text, date_info) for d in digests]
    subject = config.newsletter.subject or _subject(config.title, [d.name for d in digests])
    preheader = _preheader(digests)
    context = {
        "site": {
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "language": config.language,
            "author": config.author,
        },
        "edition": {
            "date": (date_info(today, zone, language) or {}).get("text", today.isoformat()),
            "iso": today.isoformat(),
            "subject": subject,
            "preheader": preheader,
            "web_url": absolute(EDITION.format(date=today.isoformat())),
            "archive_url": absolute(EDITIONS),
            "unsubscribe_url": config.newsletter.unsubscribe_url,
        },
        "digests": shown,
    }
    html, text = (_render(config, name, context, warn) for name in TEMPLATES)
    return Edition(today.isoformat(), subject, preheader, tuple(d.name for d in digests), inline_css(html), text)


def _digest_context(
    digest: Digest, site: Site, absolute: Callable[[str], str], zone, language: str, range_text, date_info
) -> dict[str, Any]:
    limit = site.config.newsletter.articles
    by_slug = {a.slug: a for a in digest.articles}
    newest = sorted(digest.articles, key=lambda a: a.sort_key, reverse=True)
    return {
        "name": digest.name,
        "url": absolute(DIGEST.format(slug=digest.slug)),
        "dates": range_text(digest.date_from, digest.date_to, zone, language),
        "count": len(digest.articles),
        "overview": [
            {
                "text": p.text,
                "url": absolute(ARTICLE.format(slug=p.article)) if p.article in by_slug else "",
                "source": by_slug[p.article].source if p.article in by_slug else "",
            }
            for p in digest.overview
        ],
        "articles": [
            {
                "title": a.title,
                "url": absolute(ARTICLE.format(slug=a.slug)),
                "source": a.source,
                "date": (date_info(a.date, zone, language) or {}).get("text", ""),
            }
            for a in newest[:limit]
        ],
        "more": max(0, len(digest.articles) - limit),
    }


def _subject(title: str, names: list[str]) -> str:
    if not names:
        return title
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    return f"{title}: {names[0]}{more}"


def _preheader(digests: list[Digest]) -> str:
    """The line an inbox shows after the subject: the first digest's first point, else the digests' names."""
    text = next((d.overview[0].text for d in digests if d.overview), "") or " · ".join(d.name for d in digests)
    text = " ".join(text.split())
    return text if len(text) <= PREHEADER_LENGTH else text[: PREHEADER_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _environment(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(config: Config, name: str, context: dict[str, Any], warn: Callable[[str], None]) -> str:
    """The project's template if it has one that works, else the built-in one (and a line saying why)."""
    env = _environment(autoescape=name.endswith(".html"))
    own = config.templates_dir / name
    if own.is_file():
        shown = config.display(own)
        try:
            return env.from_string(own.read_text(encoding="utf-8")).render(context)
        except (OSError, UnicodeDecodeError) as error:
            warn(f"{shown}: cannot read it ({error}); using the built-in template")
        except jinja2.TemplateError as error:
            number = getattr(error, "lineno", None)
            line = f"line {number}: " if number else ""
            warn(f"{shown}: {line}{getattr(error, 'message', None) or error}; using the built-in template")
    return env.from_string((_BUILTIN / name).read_text(encoding="utf-8")).render(context)


def inline_css(html: str) -> str:
    """Styles moved onto the elements (what every mail client keeps); @media rules stay in a <style>."""
    import css_inline

    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(html)


# ---------------------------------------------------------------- the message


def sender(config: Config) -> str:
    if config.newsletter.sender:
        return config.newsletter.sender
    host = urlsplit(config.base_url).hostname or "localhost"
    return formataddr((config.title, f"no-reply@{host}"))


def message(edition: Edition, config: Config, to: str = "", when: Optional[dt.datetime] = None) -> EmailMessage:
    """A `multipart/alternative` email: the text part first, the HTML part preferred by clients that show it."""
    mail = EmailMessage()
    mail["Subject"] = edition.subject
    mail["From"] = sender(config)
    mail["To"] = to or "undisclosed-recipients:;"
    if config.newsletter.reply_to:
        mail["Reply-To"] = config.newsletter.reply_to
    mail["Date"] = format_datetime(when or dt.datetime.now(dt.timezone.utc))
    mail["Message-ID"] = make_msgid(domain=urlsplit(config.base_url).hostname or None)
    if config.newsletter.unsubscribe_url:
        mail["List-Unsubscribe"] = f"<{config.newsletter.unsubscribe_url}>"
    mail.set_content(edition.text)
    mail.add_alternative(edition.html, subtype="html")
    return mail


# ---------------------------------------------------------------- the archive


def save(edition: Edition, config: Config) -> list[Path]:
    """The edition into the archive folder: its web copy and what the list of editions shows."""
    from .model import atomic_write

    folder = config.newsletter_dir
    html, info = folder / f"{edition.date}.html", folder / f"{edition.date}.json"
    atomic_write(html, edition.html)
    atomic_write(
        info,
        json.dumps(
            {
                "date": edition.date,
                "subject": edition.subject,
                "preheader": edition.preheader,
                "digests": list(edition.digests),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
    )
    return [html, info]


_EDITION_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_editions(config: Config) -> tuple[list[Archived], list[str]]:
    """The archived editions, newest first, and one line per archive file that cannot be used."""
    folder = config.newsletter_dir
    if not folder.is_dir():
        return [], []
    editions, problems = [], []
    for info in sorted(folder.glob("*.json"), reverse=True):
        if not _EDITION_NAME.fullmatch(info.stem):
            continue
        try:
            data = json.loads(info.read_text(encoding="utf-8"))
            html = (folder / f"{info.stem}.html").read_bytes()
            editions.append(Archived(info.stem, str(data["subject"]), str(data.get("preheader", "")), html))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            problems.append(
                f"{config.display(info)}: not an edition digest can publish: {type(error).__name__}: {error}"
            )
    return editions, problems


def previous_edition(config: Config, before: str) -> Optional[str]:
    editions, _ = load_editions(config)
    return next((e.date for e in editions if e.date < before), None)


# ---------------------------------------------------------------- sending


def read_recipients(config: Config) -> tuple[list[str], list[str]]:
    """(addresses, one problem line per line that is not an address). Blank lines and # comments are skipped."""
    path = config.root / config.newsletter.recipients
    shown = config.display(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise NewsletterError(
            f"{shown}: no such file (newsletter.recipients: one address per line)", setting=True
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise NewsletterError(f"{shown}: cannot read it: {error}", setting=True) from None
    addresses, problems, seen = [], [], set()
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        _, address = parseaddr(text)
        if not re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+", address):
            problems.append(f"{shown}: line {number}: not an email address: {text!r}; skipped")
        elif address.casefold() not in seen:
            seen.add(address.casefold())
            addresses.append(text)
    return addresses, problems


def send_edition(edition: Edition, config: Config, recipients: list[str], password: Optional[str]) -> None:
    """One message per recipient (nobody sees the list), over one connection. Raises NewsletterError."""
    smtp = config.newsletter.smtp
    where = f"{smtp.host}:{smtp.port}"
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, password or "")
            for address in recipients:
                server.send_message(message(edition, config, to=address))
    except smtplib.SMTPAuthenticationError as error:
        raise NewsletterError(f"newsletter: {where} refused the login of {smtp.user!r}: {_smtp_text(error)}") from None
    except smtplib.SMTPNotSupportedError:
        raise NewsletterError(
            f"newsletter: {where} does not offer STARTTLS (set newsletter.smtp.starttls: false "
            "only for a server on this machine)"
        ) from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
        raise NewsletterError(f"newsletter: cannot send through {where}: {_smtp_text(error)}") from None


def _smtp_text(error: Exception) -> str:
    detail = getattr(error, "smtp_error", None)
    if isinstance(detail, bytes):
        return f"{getattr(error, 'smtp_code', '')} {detail.decode('utf-8', 'replace')}".strip()
    return str(error) or type(error).__name__


# ---------------------------------------------------------------- the command


def run(
    config: Config,
    *,
    output: Optional[Path],
    since: Optional[dt.date],
    last: Optional[int],
    send: bool,
    dry_run: bool,
    echo: Callable[[str], None],
    out: Callable[[str], None],
) -> int:
    """`digest newsletter`: 0 when done, 1 when something was left out or failed, 2 on a setting to fix."""
    from .build import BuildLocked, build, current_site, project_lock

    try:
        with project_lock(config, echo=echo):
            site, problems = current_site(config)
            today = dt.datetime.now(config.tz).date()
            previous = None if since or last else previous_edition(config, today.isoformat())
            digests = choose_digests(site, since=since, last=last, previous=previous)
            if not digests:
                echo(
                    "newsletter: no digests to send"
                    + (f" since the last edition ({previous}); try --last N" if previous else "")
                )
                return 1
            edition = make_edition(site, digests, today, echo)
            problems = list(problems)
            recipients: list[str] = []
            if send or dry_run:
                recipients, unusable = read_recipients(config) if send or config.newsletter.smtp.host else ([], [])
                problems += unusable
            if dry_run:
                _describe(edition, config, recipients, send, out)
                return 1 if problems else 0
            password = _password(config) if send else None
            target = output or config.newsletter_dir / f"{edition.date}.eml"
            _write_eml(edition, config, target)
            save(edition, config)
            report = build(config, echo=echo)  # publishes the web copy (and anything else that changed)
            problems += report.problems
            out(f"wrote {config.display(target)}; web copy: site/{EDITION.format(date=edition.date)}")
            if send:
                send_edition(edition, config, recipients, password)
                out(f"sent “{edition.subject}” to {len(recipients)} address{'es' if len(recipients) != 1 else ''}")
    except BuildLocked as error:
        echo(f"digest: {error}")
        return 2
    except NewsletterError as error:
        for line in problems:
            echo(line)
        echo(str(error))
        return 2 if error.setting else 1
    for line in problems:
        echo(line)
    return 1 if problems else 0


def _password(config: Config) -> Optional[str]:
    smtp = config.newsletter.smtp
    if not smtp.host:
        raise NewsletterError("newsletter: set newsletter.smtp.host in digest.yaml to send", setting=True)
    if not smtp.user:
        return None
    password = os.environ.get(smtp.password_env)
    if not password:
        raise NewsletterError(
            f"newsletter: set the SMTP password in the environment variable {smtp.password_env} "
            "(newsletter.smtp.password_env)",
            setting=True,
        )
    return password


def _write_eml(edition: Edition, config: Config, target: Path) -> None:
    from email.policy import SMTP

    from .model import atomic_write

    try:
        atomic_write(target, message(edition, config).as_bytes(policy=SMTP))
    except OSError as error:
        raise NewsletterError(f"{target}: cannot write it: {error.strerror or error}", setting=True) from None


def _describe(edition: Edition, config: Config, recipients: list[str], send: bool, out: Callable[[str], None]) -> None:
    """What --dry-run prints: the envelope, where it would go, and the text part."""
    smtp = config.newsletter.smtp
    out(f"Subject: {edition.subject}")
    out(f"From: {sender(config)}")
    out(f"Digests: {', '.join(edition.digests)}")
    out(f"Web copy: {config.base_url}{EDITION.format(date=edition.date)}")
    if smtp.host:
        login = f" as {smtp.user}" if smtp.user else ""
        out(
            f"Would send through {smtp.host}:{smtp.port}{' with STARTTLS' if smtp.starttls else ''}{login} "
            f"to {len(recipients)} address{'es' if len(recipients) != 1 else ''}:"
        )
        for address in recipients:
            out(f"  {address}")
    else:
        out("Would not send: newsletter.smtp.host is not set")
    out("")
    out(edition.text.rstrip("\n"))
