"""YAML as people write it: PyYAML's complaints in plain words, and the nesting limit.

PyYAML describes its parser's state ("expected <block end>, but found
'<block mapping start>'"); an editor needs to know what to change in their file.
Each known problem maps to a sentence and to the line that holds the mistake
(for an unclosed quote that is where the quote opens, not where the file ends).
Anything not recognised keeps PyYAML's own words, still with its line.

`flow_depth` lets digest apply its own nesting limit before PyYAML applies one of its
own (PyYAML's limit, its message and whether it exists at all depend on its version).
"""

from __future__ import annotations

import re
from typing import Optional

import yaml

# (pattern on PyYAML's problem, the words, whether the mistake is at the context mark rather than the problem mark)
_WORDS: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(pattern), words, at_context)
    for pattern, words, at_context in (
        (
            r"found character '\\t' that cannot start any token",
            "a tab character where indentation was expected (indent with spaces)",
            False,
        ),
        (
            r"found character '(?P<char>.)' that cannot start any token",
            "a value cannot start with '{char}'; put the value in quotes",
            False,
        ),
        (r"could not find expected ':'", "a ':' is missing after the key", True),
        (
            r"mapping values are not allowed here",
            "a ':' where none can be: put a value that contains ': ' in quotes, or check the indentation",
            False,
        ),
        (r"found unexpected end of stream", "a quote opened here is never closed", True),
        (r"expected ',' or '\]'", "a list opened with '[' here is not closed with ']'", True),
        (r"expected ',' or '\}'", "a mapping opened with '{{' here is not closed with '}}'", True),
        (r"expected <block end>, but found", "the indentation does not line up with the lines above", False),
        (
            r"found undefined alias '(?P<name>[^']*)'",
            "'*{name}' names an anchor that does not exist; put the value in quotes",
            False,
        ),
        (
            r"expected alphabetic or numeric character, but found",
            "'*' or '&' must be followed by a name; put the value in quotes",
            False,
        ),
        (r"exceeded maximum nesting depth", "nested too deeply", False),
    )
)


def describe(error: yaml.YAMLError) -> str:
    """ "line N: what is wrong", or just what is wrong when PyYAML gives no position."""
    problem = str(getattr(error, "problem", None) or getattr(error, "context", None) or "invalid YAML")
    mark = getattr(error, "problem_mark", None)
    words = f"invalid YAML: {problem}"
    for pattern, template, at_context in _WORDS:
        if (found := pattern.search(problem)) is not None:
            words = template.format(**found.groupdict())
            mark = getattr(error, "context_mark", None) if at_context else mark
            mark = mark or getattr(error, "problem_mark", None)
            break
    return f"{_line(mark)}{words}"


def _line(mark: Optional[yaml.Mark]) -> str:
    return f"line {mark.line + 1}: " if mark is not None else ""


def flow_depth(text: str) -> int:
    """The deepest nesting of [ ] and { } in YAML text, quoted text and comments aside.

    libyaml counts these levels while scanning, before the first event, against a limit that
    depends on the PyYAML release (1000 in 6.0.4): counted here first, the limit a user meets
    is always this project's, with this project's message. Outside any bracket a
    "[" opens a list only where a value starts ("title: Report [draft]" is plain text).
    """
    depth = deepest = 0
    at_start = True  # where a value may start: a bracket or quote here opens one
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            index = text.find("\n", index) % (end + 1)  # to the line's end (or the text's)
            continue
        if char in "[{" and (depth or at_start):
            depth += 1
            deepest = max(deepest, depth)
            at_start = True
        elif char in "]}" and depth:
            depth -= 1
            at_start = False
        elif char in "\"'" and at_start:
            index = _quote_end(text, index)
            at_start = False
        elif char in ":-?":  # an indicator only when a space follows
            at_start = text[index + 1 : index + 2] in (" ", "\t", "\n", "")
        elif char == "," or char == "\n":  # a comma separates only inside brackets
            at_start = bool(depth) or char == "\n"
        elif char not in " \t":
            at_start = False
        index += 1
    return deepest


def _quote_end(text: str, start: int) -> int:
    """The index of the quote that closes the quoted scalar opened at `start` (or the end)."""
    quote, index = text[start], start + 1
    while index < len(text):
        if text[index] == "\\" and quote == '"':
            index += 2
            continue
        if text[index] == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":  # '' is a quote inside '…'
                index += 2
                continue
            return index
        index += 1
    return len(text)
