"""`digest serve`: build, serve site/, rebuild on every edit, and let the open tabs follow.

Three parts meet here: the watcher (watch.py) feeds debounced batches of changed
paths, this module's loop rebuilds with `build.build` while requests wait, and
the live-reload server (livereload.py) tells each tab what to do. A broken edit
never stops the loop: it becomes a problem line in the terminal and an overlay
in the browser, and the next good build clears it.
"""

from __future__ import annotations

import errno
import gc
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlsplit

from .build import BuildLocked, BuildReport, Known, build, count, project_lock
from .cache import Store
from .config import CONFIG_FILE, Config, ConfigError, load_config
from .interrupt import Interrupt, Interrupted
from .livereload import LiveState, PreviewServer
from .load import LastGood
from .render.kept import KeptPlan
from .watch import ChangeQueue, Watcher

EXIT_OK = 0
EXIT_USAGE = 2
# Saving the cache and collecting garbage wait for this much quiet after a rebuild:
# done at once, they would slow down the very page reload the editor is waiting for.
CHORES_AFTER = 0.5
# An edit's rebuild leaves the search index behind (and, in a large archive, the digests when articles
# came or went); they are brought up to date after this much quiet, so that an editor saving again and
# again never waits behind a re-index (seconds, for a year of articles) or a regroup.
SEARCH_AFTER = 2.0
SEARCH_UPDATED = "search index updated"
CHORES_AT_LEAST_EVERY = 10  # rebuilds: files that change without pause must not let memory grow unchecked


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class Session:
    """What the loop carries from one rebuild to the next."""

    config: Config
    jobs: int
    config_problem: Optional[str] = None  # a broken digest.yaml: shown until fixed, old config kept
    building: bool = False
    search_stale: bool = False  # an edit's rebuild left the search index behind: updated when idle
    group_stale: bool = False  # an edit's rebuild showed added or removed articles in the old digests: ditto
    base_url: str = ""  # absolute links point here: the preview's own address, not the published site's
    last_good: LastGood = field(default_factory=LastGood)
    known: Known = field(default_factory=Known)  # content/ and site/ as the last build saw and left them
    kept_plan: KeptPlan = field(default_factory=KeptPlan)  # the last render plan: an edit plans what it affects
    store: Store = field(
        default_factory=lambda: Store(in_memory=True)
    )  # the cache, saved in the chores  # a broken article's last good version stays on screen

    def linked(self, config: Config) -> Config:
        """The config as the preview builds with it: links to the server that is running.

        base_url is part of every page's and feed's fingerprint and of the build's no-op key,
        so the next `digest build` makes these files again with the published base_url.
        """
        return config.model_copy(update={"base_url": self.base_url}) if self.base_url else config


def serve(
    config: Config,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    poll: bool = False,
    jobs: int = 1,
    base_url: Optional[str] = None,
) -> int:
    """`base_url`: what absolute links point at; None: this server itself, at the port it got."""
    config = config.model_copy(update={"root": config.root.resolve()})
    # closed: the first requests wait for the first build
    state = LiveState(site_dir=lambda: session.config.site_dir, mount=_mount(config), closed=True)
    try:
        server = PreviewServer((host, port), state)
    except OSError as error:
        _say(_listen_failure(error, host, port))
        return EXIT_USAGE
    session = Session(config=config, jobs=jobs, base_url=base_url or _url(server, state.mount, reachable=True))
    session.config = session.linked(config)
    state.mount = _mount(session.config)
    changes = ChangeQueue()
    watcher = Watcher(config, changes, poll=poll)
    thread = threading.Thread(target=server.serve_forever, args=(0.2,), name="digest-serve-http", daemon=True)
    try:
        with _stop_signals(session, changes):
            thread.start()
            watcher.start()  # before building, so an edit made during the build is not missed
            _say(f"Serving {_url(server, state.mount)} (watching for changes; Ctrl-C to stop)")
            _build_and_show(session, state, started=None)
            _chores(session)
            _warm_up(session)
            put_off = 0  # rebuilds since the last chores
            while (batch := changes.next_batch(idle=_idle(session, put_off))) is not None:
                if batch:
                    _rebuild(session, state, watcher, batch)
                    put_off += 1
                elif session.search_stale or session.group_stale:  # idle: what the edits left behind
                    if _catch_up(session, state, changes, put_off):
                        continue  # an edit came in: it is built next, and the chores wait for the next pause
                if not batch or put_off >= CHORES_AT_LEAST_EVERY:
                    _chores(session)
                    put_off = 0
                    if session.known.drifted(session.config):  # what the watcher did not see: built now
                        _build_and_show(session, state, started=time.perf_counter())
            if put_off:
                _chores(session, wait=5.0)
    except KeyboardInterrupt:  # a second Ctrl-C during a build
        pass
    finally:
        # One more Ctrl-C must not cut the clean-up short.
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
        _say("stopping")
        changes.close()
        watcher.stop()
        state.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


def _idle(session: Session, put_off: int) -> Optional[float]:
    """How long to wait for the next edit before doing what rebuilds put off (None: for ever)."""
    if session.search_stale or session.group_stale:
        return SEARCH_AFTER
    return CHORES_AFTER if put_off else None


def _catch_up(session: Session, state: LiveState, changes: ChangeQueue, put_off: int) -> bool:
    """What edits left behind (the search index, a regroup), made unless an edit comes in meanwhile:
    returns whether one did."""
    done = "digests regrouped" if session.group_stale else SEARCH_UPDATED
    stale = session.search_stale, session.group_stale
    session.search_stale = session.group_stale = False  # a failing build must not be retried on every idle moment
    if put_off:  # the rebuilds' garbage goes first: an interrupted idle build skips the chores
        _collect_garbage()
    with changes.interrupting() as interrupt:
        try:
            _build_and_show(session, state, started=time.perf_counter(), done=done, interrupt=interrupt)
        except Interrupted:  # the regroup was stopped, and the build with it: site/ is as it was
            session.search_stale, session.group_stale = stale
            _say("regroup put off (an edit came in)")
    return interrupt.is_set()


def _rebuild(session: Session, state: LiveState, watcher: Watcher, batch: set[Path]) -> None:
    started = time.perf_counter()
    if session.config.root / CONFIG_FILE in batch:
        _reload_config(session, state, watcher)
    session.known.changed = set(batch)
    _build_and_show(session, state, started=started, deferring=True)


def _reload_config(session: Session, state: LiveState, watcher: Watcher) -> None:
    """A good new config replaces the old one; a bad one is reported and the old one kept."""
    try:
        config = load_config(session.config.root)
    except ConfigError as error:
        session.config_problem = str(error)
        return
    session.config_problem = None
    session.config = session.linked(config)
    state.mount = _mount(session.config)
    watcher.retarget(config)


def _build_and_show(
    session: Session,
    state: LiveState,
    started: Optional[float],
    *,
    deferring: bool = False,
    done: str = "rebuilt",
    interrupt: Optional[Interrupt] = None,
) -> None:
    """One build, shown to the tabs and the terminal; the server outlives any failure, and site/ stays as it was.
    `deferring`: an edit's rebuild, whose page the editor waits for; the search index and a large archive's
    regroup follow when idle (`done`: what that build says it did). `interrupt`: once set, the search
    index being made is left for the next idle moment, and a regroup under way stops the build
    (Interrupted is raised, nothing is shown)."""
    config = session.config
    session.building = True
    # The garbage collector waits for the chores: a collection now, in the rebuild or while the
    # tab reloads, would scan every object the build made (tens of milliseconds at a thousand articles).
    gc.disable()
    try:
        with project_lock(config, echo=_say):
            with state.gate.building():  # published inside, so a page served after it carries the new generation
                outcome = _build(session, deferring, deferring, interrupt)
                if interrupt is not None and interrupt.is_set():
                    done = _put_off(session, done)
                _finish(session, state, *outcome, started=started, done=done)
        return
    except BuildLocked as error:
        failure = str(error)
    except OSError as error:  # the cache folder cannot be made or locked
        failure = f"{config.display(config.cache_dir)}: cannot use it as the cache folder: {error.strerror or error}; nothing was built"
    finally:
        session.building = False
        gc.freeze()  # not a collection: it only sets this build's objects aside, at no cost
        gc.enable()
    with state.gate.building():
        _finish(session, state, None, failure, started)


def _put_off(session: Session, done: str) -> str:
    """What an idle build that an edit interrupted (after any regroup) says it did (`done`: what it set out to do)."""
    if session.search_stale:
        return "search index put off (an edit came in)" if done == SEARCH_UPDATED else f"{done}, search index put off"
    return done


def _build(
    session: Session, defer_search: bool = False, defer_group: bool = False, interrupt: Optional[Interrupt] = None
) -> tuple[Optional[BuildReport], Optional[str]]:
    try:
        report = build(
            session.config,
            jobs=session.jobs,
            progress=False,
            echo=lambda line: None,
            defer_search=defer_search,
            defer_group=defer_group,
            last_good=session.last_good,
            store=session.store,
            known=session.known,
            kept_plan=session.kept_plan,
            interrupt=interrupt,
        )
        session.search_stale = report.search_stale
        session.group_stale = report.group_stale
        return report, None
    except Interrupted:
        raise  # not a failure: the caller does it again later
    except Exception as error:  # a template error, say
        return None, describe_failure(error, session.config.root)


def _warm_up(session: Session) -> None:
    """What the first rebuild would otherwise wait for: the templates compiled, the code of a rebuild imported."""
    from .group import memo, naming  # noqa: F401
    from .render import warm_up

    try:
        warm_up(session.config)
    except Exception:  # noqa: BLE001 - only a head start; the build reports real problems
        pass


def _chores(session: Session, wait: float = 60.0) -> None:
    """What rebuilds put off: the cache written to disk (for the next `digest build`), the garbage collected."""
    try:
        with project_lock(session.config, wait=wait, echo=lambda line: None):
            session.store.save_deferred()
    except (BuildLocked, OSError):
        pass  # another build is running, or the cache cannot be written: saving it is only a head start
    _collect_garbage()


def _collect_garbage() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()  # what is left is the long-lived state: never scanned by the collections of the next rebuild


def _finish(
    session: Session,
    state: LiveState,
    report: Optional[BuildReport],
    failure: Optional[str],
    started: Optional[float],
    done: str = "rebuilt",
) -> None:
    """Tell the tabs, then the terminal: once a line is printed, the tabs already know."""
    problems = [session.config_problem] if session.config_problem else []
    if report is None:
        problems += [failure] if failure else []
    else:
        problems += report.ingest.rejected + report.problems
    state.publish(report.changed if report is not None else [], problems)
    if report is not None:
        rejected = set(report.ingest.rejected)
        for line in report.ingest.messages + report.notices:
            if line not in rejected:
                _say(line)
    for line in problems:
        _say(line)
    if report is not None:
        if started is None:
            _say(report.summary())
            for line in report.next_steps(serve=None):  # the preview is this
                _say(line)
        else:
            _say(f"{done} in {time.perf_counter() - started:.2f}s: {count(len(report.changed), 'file')} changed")


def describe_failure(error: Exception, root: Path) -> str:
    """One line for a failed build, naming the file and line when the error knows them (Jinja's do)."""
    filename = getattr(error, "filename", None)
    lineno = getattr(error, "lineno", None)
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    if filename:
        path = Path(filename)
        shown = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else str(filename)
        where = f"{shown}: line {lineno}: " if lineno else f"{shown}: "
        return f"{where}{message}"
    return f"build failed: {type(error).__name__}: {message}"


def _listen_failure(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"digest: port {port} is in use; try --port {port + 1 if port < 65535 else 8000}"
    return f"digest: cannot listen on {host}:{port}: {error.strerror or error}"


def _mount(config: Config) -> str:
    """Serve under base_url's path, as the published site will be, so its links work."""
    return urlsplit(config.base_url).path or "/"


def _url(server: PreviewServer, mount: str, reachable: bool = False) -> str:
    """The server's address; `reachable`: as a browser on this machine reaches it (a wildcard
    address listens on loopback too; other machines need --base-url)."""
    host, port = str(server.server_address[0]), server.server_address[1]
    if reachable:
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{mount}"


@contextmanager
def _stop_signals(session: Session, changes: ChangeQueue) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the loop between builds, so a build is never cut off half-way.

    A build in progress finishes first (it cleans up after itself); a second signal
    during it interrupts it at once.
    """
    requested = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal requested
        if requested and session.building:
            raise KeyboardInterrupt
        if session.building and not requested:
            _say("stopping after the current build (Ctrl-C again to stop now)")
        requested = True
        # From a thread: the main thread may be inside the queue's lock right now.
        threading.Thread(target=changes.close, daemon=True).start()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
