"""Templates and static files: the built-in theme, and the user's overrides on top.

A file in the project's `templates/` folder replaces the built-in template of
the same name (and `templates/static/` the built-in static files). A template
that does not parse is reported with its line and the built-in one is used, so
one typo never stops a build.

Templates travel as plain {name: source} dicts, so a worker process (or a Dask
worker on another machine) can render pages without reading the project.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, Optional, TypeVar

import jinja2
from jinja2 import meta

from ..cache import code_fingerprint
from ..config import Config
from ..markdown import strip_illegal
from .inputs import sha

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_STATIC = PACKAGE_DIR / "static"
STATIC_PREFIX = "static/"  # where static files land in site/
STYLESHEET = STATIC_PREFIX + "style.css"

V = TypeVar("V")


@dataclass(frozen=True)
class Keyed(Generic[V]):
    """`value` named by `key`, a hash of all it holds: a process's cache finds it by the key alone
    (templates travel to workers as plain dicts, which cannot be hashed, and are made again for every chunk)."""

    key: str
    value: V = field(compare=False)


@dataclass(frozen=True)
class Theme:
    sources: dict[str, str]  # template name → source used (the user's when it overrides)
    builtin: dict[str, str]
    origins: dict[str, str]  # template name → the file it came from, as shown to the user
    problems: tuple[str, ...] = ()
    static: dict[str, bytes] = field(default_factory=dict)  # site-relative path → bytes

    @cached_property
    def key(self) -> str:
        """Identifies these exact templates, so a worker builds its Jinja environment once."""
        return _sha(json.dumps([self.sources, self.builtin], sort_keys=True))

    @cached_property
    def _references(self) -> dict[str, Optional[set[str]]]:
        """Template name → the names it extends, includes or imports (None: decided at run time)."""
        return _references_of(Keyed(self.key, self.sources))

    def uses(self, template: str) -> set[str]:
        """Every template a page made from `template` reads: itself, its bases, includes and imports."""
        seen: set[str] = set()
        todo = [template]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            refs = self._references.get(name, set())
            if refs is None:  # a computed name: any template may be read
                return set(self.sources) | {template}
            todo.extend(refs)
        return seen

    def fingerprint(self, template: str) -> str:
        """Changes whenever any template the page reads changes (or the code that renders it)."""
        used = sorted(self.uses(template))
        return _sha(json.dumps([code_fingerprint(), [(n, self.sources.get(n)) for n in used]]))

    def overrides_in(self, template: str) -> list[str]:
        return sorted(n for n in self.uses(template) if self.sources.get(n) != self.builtin.get(n))


@functools.lru_cache(
    maxsize=1
)  # parsing every template costs tens of milliseconds: `serve` must not pay it on each edit
def _references_of(sources: Keyed[dict[str, str]]) -> dict[str, Optional[set[str]]]:
    env = _bare_environment()
    found: dict[str, Optional[set[str]]] = {}
    for name, source in sources.value.items():
        try:
            names = set(meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:  # reported when the theme was loaded
            names = set()
        found[name] = None if None in names else {n for n in names if n is not None}
    return found


def _sha(text: str) -> str:
    return sha(text.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------- loading


def _read_folder(folder: Path, pattern: str) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob(pattern))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    }


def load_theme(config: Config) -> Theme:
    builtin = {name: data.decode("utf-8") for name, data in _read_folder(BUILTIN_TEMPLATES, "*.html").items()}
    sources = dict(builtin)
    origins = {name: f"built-in {name}" for name in builtin}
    problems: list[str] = []
    user_dir = config.templates_dir
    shown_dir = Path(config.paths.templates)
    env = _bare_environment()
    try:
        user_files = _read_folder(user_dir, "*.html")
        user_static = _read_folder(user_dir / "static", "*")
    except OSError as error:
        problems.append(f"{shown_dir}: cannot read templates: {error.strerror or error}; using the built-in ones")
        user_files, user_static = {}, {}
    for name, data in user_files.items():
        shown = (shown_dir / name).as_posix()
        try:
            source = data.decode("utf-8")
            env.parse(source, name, shown)
        except UnicodeDecodeError:
            problems.append(f"{shown}: not UTF-8 text; using the built-in template")
            continue
        except jinja2.TemplateSyntaxError as error:
            problems.append(f"{shown}: line {error.lineno}: {error.message}; using the built-in template")
            continue
        sources[name] = source
        origins[name] = shown
    static = {STATIC_PREFIX + name: data for name, data in _read_folder(BUILTIN_STATIC, "*").items()}
    static.update({STATIC_PREFIX + name: data for name, data in user_static.items()})
    return Theme(sources=sources, builtin=builtin, origins=origins, problems=tuple(problems), static=static)


# ---------------------------------------------------------------- Jinja


def _bare_environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


def _finalize(value: Any) -> Any:
    """Every printed text loses the control characters that make HTML invalid.

    Markup is left alone: the article body was cleaned when it was rendered.
    isprintable() is a fast first check: printable text has nothing to strip.
    """
    if type(value) is str and not value.isprintable():
        return strip_illegal(value)
    return value


@jinja2.pass_context
def _relative(context: jinja2.runtime.Context, path: Optional[str]) -> str:
    """A site-relative path as a link from the page being rendered."""
    return context["root"] + (path or "")


def environment(sources: dict[str, str], origins: dict[str, str]) -> jinja2.Environment:
    def load(name: str):
        if name not in sources:
            return None
        return sources[name], origins.get(name, name), lambda: True

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,  # article text can never become markup
        undefined=jinja2.StrictUndefined,  # a misspelt variable is an error, not a blank
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["rel"] = _relative
    return env
