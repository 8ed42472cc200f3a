"""Thin commands over the library: `digest init`, `build`, `serve`, `newsletter`, `add`, `fetch`."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shlex
import sys
from pathlib import Path
from typing import NoReturn, Optional

import click

from . import __version__
from .config import Config, ConfigError, absolute_url, is_project, load_config

EXIT_USAGE = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"digest: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _load_project(root: Optional[Path]) -> Config:
    """The project's config; a folder that is not a project is left as it is (exit 2)."""
    folder = root if root is not None else Path(".")
    if not is_project(folder):
        if root is None:
            _fail("not a digest project (no digest.yaml here); run 'digest init .' to start one, or use -C DIR")
        _fail(
            f"{root} is not a digest project (no digest.yaml in it); "
            f"start one with: digest init {shlex.quote(str(root))}"
        )
    try:
        return load_config(folder)
    except ConfigError as error:
        _fail(str(error))


def _default_jobs(jobs: Optional[int]) -> int:
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def _with_root(command: str, root: Optional[Path]) -> str:
    """How to run another command on the same project, as the user would type it."""
    return command if root is None else f"{command} -C {shlex.quote(str(root))}"


root_option = click.option(
    "--root",
    "-C",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The project folder (holding digest.yaml, seeds/, content/); default: the current folder.",
)
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest", help="Show the version and exit.")
def cli() -> None:
    """Turn raw scraped news articles into topical digests: a static site with feeds.

    \b
    seeds/*      --ingest-->  content/*.md  (yours to edit)
    content/     --group--->  digests
    digests      --render-->  site/  (HTML, RSS, Atom, JSON Feed)
    static/      --copy---->  site/  (your own files, as they are)
    """


@cli.command(short_help="Build the site: seeds → content → digests → site/.")
@root_option
@jobs_option
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar on long ingests (default: on a terminal)."
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="Run ingest and page rendering on a Dask cluster (needs: pip install 'digest[dask]').",
)
def build(root: Optional[Path], jobs: int, progress: Optional[bool], scheduler: Optional[str]) -> None:
    """Ingest new seeds, group the articles into digests, and write the site.

    Content files you edited by hand are never overwritten, and files in site/
    that digest did not make are kept. Exits 0 when every seed and content file
    was used, 1 when any was rejected or skipped (the rest is still built), 2 on
    a usage or config error, or outside a digest project.
    """
    from .build import BuildLocked, project_lock
    from .build import build as run_build
    from .workers import SchedulerError

    config = _load_project(root)
    if progress is None:
        progress = sys.stderr.isatty()
    echo = lambda line: click.echo(line, err=True)  # noqa: E731
    try:
        with project_lock(config, echo=echo):
            report = run_build(config, jobs=_default_jobs(jobs), scheduler=scheduler, progress=progress, echo=echo)
    except (BuildLocked, SchedulerError) as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or config.root}: {error.strerror or error}")
    click.echo(report.summary())
    for line in report.next_steps(serve=_with_root("digest serve", root)):
        click.echo(line)
    sys.exit(report.exit_code)


@cli.command(short_help="Start a new site folder.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new site folder: digest.yaml, seeds/, content/, templates/, static/.

    Files already there are kept; a folder that holds digest.yaml is refused.
    """
    from .scaffold import create_project

    try:
        created = create_project(directory)
    except FileExistsError as error:
        _fail(str(error))
    for path in created:
        click.echo(f"created {path}")
    click.echo(
        f"Put raw articles (.txt) in {directory / 'seeds'} and run: digest build -C {shlex.quote(str(directory))}"
    )


@cli.command(short_help="Preview the site, rebuilt live on every edit.")
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Absolute links (canonical, feeds, sitemap) point here; default: this server's own address.",
)
@click.option(
    "--poll/--no-poll",
    default=False,
    help="Poll for changes instead of native file events (network mounts, containers).",
)
@jobs_option
def serve(root: Optional[Path], host: str, port: int, base_url: Optional[str], poll: bool, jobs: int) -> None:
    """Build, serve the site, and rebuild and reload the browser on every edit.

    Absolute links in the served pages and feeds use this server's address
    (http://HOST:PORT/), so a feed reader pointed at the preview stays on it;
    `digest build` writes base_url from digest.yaml again.
    """
    from .serve import serve as run_serve

    config = _load_project(root)
    if base_url is not None:
        try:
            base_url = absolute_url(base_url)
        except ValueError as error:
            _fail(f"--base-url: {error}")
    sys.exit(run_serve(config, host=host, port=port, poll=poll, jobs=_default_jobs(jobs), base_url=base_url))


@cli.command(short_help="Download web pages or feeds into seeds/.")
@root_option
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds allowed for each URL."
)
def add(root: Optional[Path], urls: tuple[str, ...], timeout: float) -> None:
    """Download web pages or feeds into seeds/ (the next build ingests them).

    Only http(s) addresses; a file already there is never overwritten unless
    digest saved it. Prints one line per URL; exits 1 when any failed.
    """
    from .fetch import Limits
    from .fetch import add as run_add

    config = _load_project(root)
    failed = run_add(list(urls), config, echo=click.echo, limits=Limits(timeout=timeout))
    sys.exit(1 if failed else 0)


@cli.command(short_help="Fetch new entries of the subscribed feeds into seeds/.")
@root_option
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds allowed for each feed."
)
def fetch(root: Optional[Path], timeout: float) -> None:
    """Fetch the feeds listed under `feeds:` in digest.yaml: new entries into seeds/.

    Asks each server only for what changed since the last fetch (ETag,
    Last-Modified). Prints one line per feed; exits 1 when any failed.
    """
    from .fetch import Limits
    from .fetch import fetch as run_fetch

    config = _load_project(root)
    failed = run_fetch(config, echo=click.echo, limits=Limits(timeout=timeout))
    sys.exit(1 if failed else 0)


@cli.command(short_help="Make the email edition of the latest digests.")
@root_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the .eml (default: the archive folder, newsletter/DATE.eml).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The digests with an article on or after this date (YYYY-MM-DD).",
)
@click.option("--last", type=click.IntRange(min=1), default=None, help="The N latest digests.")
@click.option("--send", is_flag=True, help="Send it through newsletter.smtp to every address in newsletter.recipients.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent, and change nothing.")
def newsletter(
    root: Optional[Path],
    output: Optional[Path],
    since: Optional[dt.datetime],
    last: Optional[int],
    send: bool,
    dry_run: bool,
) -> None:
    """Make the email edition of the latest digests: an .eml with text and HTML parts.

    By default it holds the digests updated since the last edition (or the latest
    few). The edition is kept in the archive folder and published on the site as
    newsletter/DATE.html; --send mails it, --dry-run only says what it would do.
    """
    from .newsletter import run

    if since is not None and last is not None:
        _fail("use --since or --last, not both")
    config = _load_project(root)
    echo = lambda line: click.echo(line, err=True)  # noqa: E731
    sys.exit(
        run(
            config,
            output=output,
            since=since.date() if since else None,
            last=last,
            send=send,
            dry_run=dry_run,
            echo=echo,
            out=click.echo,
        )
    )


def main() -> None:
    try:
        cli(prog_name="digest")
    finally:
        # The process ends here: the collection Python runs on its way out would scan every object the
        # command made (a tenth of a second after a build of 10,000 articles) and free nothing it needs.
        gc.freeze()
