"""What a line of scraped text looks like, as numbers: the chrome classifier's features.

Only signals that carry over to sites the model never saw: the shape of the line
(length, punctuation, sentence ends, capitals, digits), how much of it is function
words, dates, times, links, cue words of each kind of chrome (small hand-written
vocabularies, one feature per kind, never a hard filter), where it stands on the
page, and what its neighbours look like (jusText's insight: a short line between
paragraphs of prose is prose; a short line among short lines is a menu). No site
names and nothing learned word by word from a corpus.

Lines are first joined into blocks where a scraper hard-wrapped a paragraph, so a
wrapped sentence is judged whole.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

import numpy as np

from .boilerplate import chrome_category

# Function words of the languages news is most often scraped in: prose is full of them,
# menus, headlines and buttons are not. Lower case, matched word by word.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being between both
    but by can could did do does doing down during each few for from further had has have having he her here hers
    him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
    out over own same she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you
    your said says told
    de la le les des du un une et est en au aux pour par sur dans que qui pas ne se ce il elle ils nous vous avec
    der die das und ist nicht ein eine zu den dem mit von auf für sich auch als wie bei nach aus wird sind
    el los las del al y es por con para una su lo como más pero sus le ya o fue este ha sí porque esta entre
    o os as do da dos das em no na nos nas um uma com não mais ao à se por pelo pela foi são ser
    il lo gli di che è per una non sono della delle nel nella alla con anche
    het een van en ik je dat niet zijn op te voor met als er maar om ook
    yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke adalah ada bisa oleh
    и в не на я что с он как это по но из к у за от о же для так все она только был его мы вы они бы то
    """.split()
)

# Cue words for each kind of chrome. A cue alone decides nothing ("Share prices fell" opens
# with one): it counts most when it opens the line, less inside a short one, and the model
# weighs it against the line's shape and its neighbours.
CUES: dict[str, str] = {
    "share": r"share|shares|sharing|tweet|facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|flipboard|"
    r"email|e-mail|print|copy link|link copied|pin it",
    "related": r"related|read more|read next|read also|also read|see also|more from|more stories|more news|latest|"
    r"trending|popular|most read|most viewed|most popular|recommended|you may also like|you might also like|"
    r"don'?t miss|up next|top stories|editor'?s picks|more on this|previous|next",
    "appeal": r"newsletters?|subscribe|subscription|sign up|inbox|donate|donation|support us|support our|membership|"
    r"become a (?:member|subscriber|supporter|patron)|patreon|free trial|unlock|premium|notifications?|register",
    "byline": r"by|updated|published|posted|written by|reporter|correspondent|staff|editor|contributor|"
    r"\d+ min(?:ute)?s? read|ago|yesterday|just now",
    "tags": r"tags?|tagged|topics?|filed under|filed to|categories|category|keywords|posted in|more about",
    "recipe": r"recipe|servings?|serves|ingredients|prep time|cook time|total time|yield|calories|nutrition|"
    r"print recipe|jump to recipe|rate this|save",
    "bio": r"about the author|writes about|has written for|is an? (?:[\w-]+ ){0,3}(?:writer|reporter|editor|"
    r"journalist|correspondent|author|contributor|columnist|producer)|follow (?:him|her|them)|author of",
    "comments": r"comments?|commenting|replies|reply|sort by|newest|oldest|top comments|upvote|log in to|login|"
    r"sign in|conversation|discussion|says:",
    "footer": r"copyright|all rights reserved|rights reserved|privacy|terms of (?:use|service)|cookies?|contact us|"
    r"about us|advertise|careers|sitemap|accessibility|powered by|©",
    "video": r"video|videos|watch|now playing|playlist|replay|episode|podcast|listen|duration",
    "caption": r"photo|photos|image|images|picture|credit|getty|shutterstock|afp|reuters|ap photo|illustration|"
    r"file photo|courtesy|gallery",
    "navigation": r"home|menu|search|skip to|back to top|close|toggle|navigation|sections|log ?in|sign ?in|"
    r"account|settings|edition",
    "advert": r"advertisement|advertising|sponsored|promoted|partner content|paid content|ads|"
    r"story continues below|continue reading",
}


# Matched against the casefolded line, not with re.IGNORECASE: a case-blind literal is tried letter by
# letter at every word of the line, a plain one is rejected at its first letter (3-4x faster, same matches).
# The patterns below that read a `lowered` line are written for a casefolded one for the same reason.
def _as_words(alternatives: str) -> re.Pattern[str]:
    """The alternatives anywhere in a line, as whole words."""
    return re.compile(r"(?<![\w'’-])(?:" + alternatives + r")(?![\w'’-])")


_CUE_ANYWHERE = _as_words("|".join(f"(?P<{name}>{words})" for name, words in CUES.items()))
# A line too long to be a label can still be an author's note: its one kind of cue is looked for alone first.
_BIO_ANYWHERE = _as_words(CUES["bio"])
# One pass finds which kind of cue, if any, opens a line (the first kind listed wins).
CUE_OPENING = re.compile(
    r"^\W*(?:" + "|".join(f"(?P<{name}>{words})" for name, words in CUES.items()) + r")(?![\w'’-])", re.IGNORECASE
)
SHORT_WORDS = 8  # a cue anywhere in a line this short is as good as a label
BIO_WORDS = 80

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’»)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’»)\]]*\s+[\"“‘«(\[]?(\w)")
_TERMINAL = re.compile(r"[.!?…:;,\"”’)\]»]$")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|h|uhr)?\b|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)")  # lowered
_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
)  # lowered
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_RELATIVE_TIME = re.compile(
    r"\b\d+\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|mos?|y|yrs?|years?)\s+ago\b|"
    r"\b(?:an?|one)\s+(?:hour|minute|day|week|month|year)\s+ago\b|\bjust now\b"
)  # lowered
# Each alternative opens with a literal, so a long paragraph is scanned fast.
_LINK = re.compile(r"https?://|www\.|\w\.(?:com|org|net|co|io|info|gov|edu|uk|de|fr|in|br|it|au)\b|@\w{2,}")  # lowered
_SEPARATOR_CHARS = "|•·»›>/←→<«"
_SEPARATOR = re.compile(r"(?:^|\s)[|•·»›>/←→<«]+(?=\s|$)|\s[|•·]\s")
_QUOTE = re.compile(r"[“”\"«»„]")
_BULLET = re.compile(r"^(?:[-–—•·*▪►▶]|\d{1,3}[.)]?)(?:\s|$)")
_ONLY_NUMBER = re.compile(r"^[\d\s.,:/()#%+-]+$")
_ELLIPSIS = re.compile(r"(?:\.\.\.?|…)\W{0,3}$")  # a teaser cut short: a link to another story
_COUNT_SUFFIX = re.compile(r"[(\[]\d{1,6}[)\]]$")  # "Politics (12)": an archive or category count
# "Jason Smith/Getty Images", "Photo: AP": a credit names a person or agency, with a slash or a label
_CREDIT = re.compile(
    r"\w\s?/\s?(?-i:[A-Z])|^(?:photo|image|picture|illustration|credit|source)s?(?: credit)?\s*:", re.IGNORECASE
)

SAMPLE_CHARS = 300  # of a long line, what the features read
MAX_DISTANCE = 30  # lines: farther than this, prose is "far away"
CONTEXT = 3  # lines on each side that make a line's neighbourhood


@dataclass(frozen=True)
class Blocks:
    """Non-blank lines joined where a paragraph was hard-wrapped."""

    texts: list[str]
    members: list[list[int]]  # the line numbers each block is made of


def join_wrapped(lines: Sequence[str]) -> Blocks:
    """A line that stops mid-sentence (long, no end mark) and is followed by one starting in
    lower case is a hard-wrapped paragraph: judged as one block."""
    texts: list[str] = []
    members: list[list[int]] = []
    previous = ""
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            previous = ""
            continue
        if previous and len(previous) >= 40 and not _TERMINAL.search(previous) and line[:1].islower():
            texts[-1] = f"{texts[-1]} {line}"
            members[-1].append(index)
        else:
            texts.append(line)
            members.append([index])
        previous = line
    return Blocks(texts, members)


LOCAL = (
    "log_chars",
    "log_words",
    "mean_word_len",
    "ends_sentence",
    "ends_colon",
    "ends_open",
    "sentences",
    "commas",
    "stopwords",
    "title_case",
    "all_caps",
    "starts_upper",
    "starts_lower",
    "digits",
    "letters",
    "only_number",
    "time",
    "date",
    "year",
    "relative_time",
    "link",
    "separators",
    "quotes",
    "bullet",
    "rule",
    "ellipsis",
    "count_suffix",
    "credit",
    *(f"cue_{name}" for name in CUES),
)
CONTEXTUAL = (
    "position",
    "at_top",
    "at_bottom",
    "prose",
    "prev_prose",
    "next_prose",
    "dist_prev_prose",
    "dist_next_prose",
    "before_first_prose",
    "after_last_prose",
    "prose_window",
    "short_run",
    "repeated",
    "prev_log_chars",
    "next_log_chars",
    "prev_ends_sentence",
    "next_ends_sentence",
    "prev_stopwords",
    "next_stopwords",
    "prev_colon",
    "window_chars",
    "window_cues",
    "prose_before",
    "prose_after",
    "cues_since_prose",
    "cues_until_prose",
    "run_words",
    "run_words_spread",
    "run_cues",
    "run_title_case",
    "run_digits",
    "run_colons",
    "run_ends",
    "run_stopwords",
    "run_repeated",
    "run_prose_above",
    "run_prose_below",
    "page_prose",
    "page_blocks",
    "page_cues",
    "cues_to_start",
    "cues_to_end",
    "alike_run",
    "template",
    "template_window",
    "run_template",
    "page_template",
)
FEATURES = LOCAL + CONTEXTUAL
_L = {name: index for index, name in enumerate(LOCAL)}


def local_features(text: str, rule: bool) -> list[float]:
    """The line on its own (`rule`: a precise rule of boilerplate.py recognises it). Beyond its
    first SAMPLE_CHARS a line is prose by any measure: the rest is not read, which keeps long
    paragraphs cheap."""
    words = len(text.split())
    sample = text[:SAMPLE_CHARS]
    lowered = sample.casefold()
    tail = text[-12:]
    alpha = _WORD.findall(sample)
    chars = len(sample)
    digits = sum(map(str.isdigit, sample))
    n_alpha = max(1, len(alpha))
    values = [
        math.log1p(len(text)),
        math.log1p(words),
        sum(map(len, alpha)) / n_alpha,
        float(bool(_SENTENCE_END.search(tail))),
        float(text.endswith(":")),
        float(not _TERMINAL.search(tail)),
        math.log1p(sum(first.isupper() or first.isdigit() for first in _SENTENCE_BREAK.findall(sample))),
        sample.count(",") / max(1, len(sample.split())),
        sum(word.casefold() in STOPWORDS for word in alpha) / n_alpha,
        sum(word[0].isupper() for word in alpha) / n_alpha,
        sum(len(word) > 1 and word.isupper() for word in alpha) / n_alpha,
        float(text[:1].isupper()),
        float(text[:1].islower()),
        digits / max(1, chars),
        sum(map(str.isalpha, sample)) / max(1, chars),
        float(bool(_ONLY_NUMBER.match(sample))),
        float(digits > 0 and bool(_TIME.search(lowered))),
        float(digits > 0 and bool(_DATE.search(lowered))),
        float(digits > 0 and bool(_YEAR.search(sample))),
        float(_ages(lowered)),
        float(bool(_LINK.search(lowered))),
        math.log1p(len(_SEPARATOR.findall(sample))) if any(c in sample for c in _SEPARATOR_CHARS) else 0.0,
        float(bool(_QUOTE.search(sample))),
        float(bool(_BULLET.match(sample))),
        float(rule),
        float(bool(_ELLIPSIS.search(tail))),
        float(bool(_COUNT_SUFFIX.search(tail))),
        float(words <= 12 and bool(_CREDIT.search(sample))),
    ]
    values.extend(_cues(sample, lowered, words))
    return values


def _ages(lowered: str) -> bool:
    """ "3 hours ago", "just now" """
    return ("ago" in lowered or "just now" in lowered) and bool(_RELATIVE_TIME.search(lowered))


def _cues(text: str, lowered: str, words: int) -> list[float]:
    """Per kind of chrome: 1 when the line opens with one of its cues, 0.5 when a short line
    holds one. An author's note is a sentence or two about a person: its cue counts anywhere."""
    opening = CUE_OPENING.match(text)
    opened = opening.lastgroup if opening else None
    held: set[Optional[str]] = set()
    # Beyond a label's length only a bio's cue counts: the line is scanned for every kind only when
    # one could (a bio's words may stand inside another kind's cue, which a full scan takes first).
    if words <= SHORT_WORDS or (words <= BIO_WORDS and _BIO_ANYWHERE.search(lowered)):
        held = {match.lastgroup for match in _CUE_ANYWHERE.finditer(lowered)}
    values = []
    for name in CUES:
        if name == "bio":
            values.append(float(words <= BIO_WORDS and name in held))
        elif name == opened:
            values.append(1.0)
        else:
            values.append(0.5 if words <= SHORT_WORDS and name in held else 0.0)
    return values


def is_prose(local: Sequence[float]) -> bool:
    """A paragraph by any measure: sentences of function words, ending as sentences end."""
    words = math.expm1(local[_L["log_words"]])
    ends = local[_L["ends_sentence"]] > 0
    if local[_L["sentences"]] > 0 and words >= 20 and ends:
        return True
    return ends and words >= 12 and local[_L["stopwords"]] >= 0.2


def features(
    texts: Sequence[str], rules: Optional[Sequence[bool]] = None, template: Optional[Sequence[bool]] = None
) -> np.ndarray:
    """One row of FEATURES per block, in order (`rules`: which blocks boilerplate.py's rules
    recognise, when the caller already knows; `template`: which blocks other seeds of the site
    hold too, see template.py)."""
    count = len(texts)
    if count == 0:
        return np.zeros((0, len(FEATURES)))
    if rules is None:
        rules = [chrome_category(text) is not None for text in texts]
    local = np.array([local_features(text, rule) for text, rule in zip(texts, rules)], dtype=float)
    prose = np.array([is_prose(row) for row in local], dtype=bool)
    shared = np.zeros(count) if template is None else np.array(template, dtype=float)
    return np.hstack([local, _context(texts, local, prose), _template_context(shared, prose)])


def _distances(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position, how far back and how far ahead the nearest flagged position is."""
    count = len(flags)
    back = np.full(count, MAX_DISTANCE, dtype=float)
    ahead = np.full(count, MAX_DISTANCE, dtype=float)
    last = None
    for index in range(count):
        if last is not None:
            back[index] = min(MAX_DISTANCE, index - last)
        if flags[index]:
            last = index
    last = None
    for index in range(count - 1, -1, -1):
        if last is not None:
            ahead[index] = min(MAX_DISTANCE, last - index)
        if flags[index]:
            last = index
    return back, ahead


def _spans(prose: np.ndarray) -> Iterator[slice]:
    """The runs of non-prose blocks between the paragraphs, each as a slice."""
    start = 0
    for index in range(len(prose) + 1):
        if index == len(prose) or prose[index]:
            if index > start:
                yield slice(start, index)
            start = index + 1


def _runs(prose: np.ndarray) -> np.ndarray:
    """The length of the run of non-prose blocks each block stands in (0 for prose)."""
    runs = np.zeros(len(prose))
    for span in _spans(prose):
        runs[span] = span.stop - span.start
    return runs


def _window(values: np.ndarray) -> np.ndarray:
    """The mean of each block's neighbours (CONTEXT on each side, itself excluded)."""
    padded = np.concatenate([np.zeros(CONTEXT), values, np.zeros(CONTEXT)])
    present = np.concatenate([np.zeros(CONTEXT), np.ones(len(values)), np.zeros(CONTEXT)])
    sums = np.convolve(padded, np.ones(2 * CONTEXT + 1), "valid") - values
    counts = np.convolve(present, np.ones(2 * CONTEXT + 1), "valid") - 1
    return sums / np.maximum(counts, 1)


def _context(texts: Sequence[str], local: np.ndarray, prose: np.ndarray) -> np.ndarray:
    count = len(texts)
    position = np.arange(count) / max(1, count - 1)
    back, ahead = _distances(prose)
    indices = np.flatnonzero(prose)
    first, last = (indices[0], indices[-1]) if len(indices) else (count, -1)
    keys = [" ".join(text.casefold().split()) for text in texts]
    seen: dict[str, int] = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    cues = local[:, [_L[f"cue_{name}"] for name in CUES]].sum(axis=1)
    prev = np.vstack([local[:1] * 0, local[:-1]])
    nxt = np.vstack([local[1:], local[:1] * 0])
    prose_f = prose.astype(float)
    repeated = np.array([float(seen[key] > 1) for key in keys])
    prose_words = prose_f * np.expm1(local[:, _L["log_words"]])
    columns = [
        position,
        (position < 0.1).astype(float),
        (position > 0.9).astype(float),
        prose_f,
        np.concatenate([[0.0], prose_f[:-1]]),
        np.concatenate([prose_f[1:], [0.0]]),
        np.log1p(back),
        np.log1p(ahead),
        (np.arange(count) < first).astype(float),
        (np.arange(count) > last).astype(float),
        _window(prose_f),
        np.log1p(_runs(prose)),
        repeated,
        prev[:, _L["log_chars"]],
        nxt[:, _L["log_chars"]],
        prev[:, _L["ends_sentence"]],
        nxt[:, _L["ends_sentence"]],
        prev[:, _L["stopwords"]],
        nxt[:, _L["stopwords"]],
        prev[:, _L["ends_colon"]],
        _window(local[:, _L["log_chars"]]),
        _window(np.minimum(cues, 1.0)),
        *_mass_around(prose_words),
        *_cues_between(np.minimum(cues + local[:, _L["rule"]], 1.0) * (1 - prose_f), prose),
        *_run_profile(local, prose, np.minimum(cues, 1.0), repeated, prose_words),
        np.full(count, prose_f.mean()),
        np.full(count, math.log1p(count)),
        np.full(count, np.minimum(cues, 1.0).mean()),
        *_cues_to_edges(np.minimum(cues + local[:, _L["rule"]], 1.0)),
        np.log1p(_alike_runs(local)),
    ]
    return np.column_stack(columns)


def _template_context(shared: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """A block the site's other pages hold too, among others like it: a site's menu, rail or
    footer comes whole, a line a story happens to share with another stands alone."""
    run = np.zeros(len(shared))
    for span in _spans(prose):
        run[span] = shared[span].mean()
    return np.column_stack([shared, _window(shared), run, np.full(len(shared), shared.mean())])


def _mass_around(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The share of the page's prose that comes before each block, and after it: a block with
    prose on neither side stands outside the article."""
    total = max(float(weights.sum()), 1.0)
    before = (np.cumsum(weights) - weights) / total
    after = (total - np.cumsum(weights)) / total
    return before, after


def _cues_between(cued: np.ndarray, prose: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many cue-bearing lines stand between a block and the nearest prose above it, and
    below it: a list that follows the story without a "Related"/"Share"/"Tags" line between is
    more likely the story's own list."""
    count = len(cued)
    since = np.zeros(count)
    until = np.zeros(count)
    running = 0.0
    for index in range(count):
        since[index] = running
        running = 0.0 if prose[index] else running + cued[index]
    running = 0.0
    for index in range(count - 1, -1, -1):
        until[index] = running
        running = 0.0 if prose[index] else running + cued[index]
    return np.log1p(since), np.log1p(until)


def _run_profile(
    local: np.ndarray, prose: np.ndarray, cued: np.ndarray, repeated: np.ndarray, prose_words: np.ndarray
) -> list[np.ndarray]:
    """What the run of non-prose blocks a block stands in looks like as a whole: a menu is a run
    of one- and two-word items, a related rail a run of headlines, a story's own list (steps,
    specifications, a schedule) a run of uneven lines with numbers, colons and commas."""
    count = len(prose)
    words = local[:, _L["log_words"]]
    columns = (
        words,
        local[:, _L["title_case"]],
        local[:, _L["digits"]] > 0,
        local[:, _L["ends_colon"]],
        local[:, _L["ends_sentence"]],
        local[:, _L["stopwords"]],
        repeated,
    )
    profile = [np.zeros(count) for _ in range(11)]
    for span in _spans(prose):
        values = (
            words[span].mean(),
            words[span].std(),
            cued[span].mean(),
            *(column[span].mean() for column in columns[1:]),
            math.log1p(_segment_words(prose_words, span.start - 1, -1)),
            math.log1p(_segment_words(prose_words, span.stop, 1)),
        )
        for column, value in zip(profile, values):
            column[span] = value
    return profile


def _segment_words(prose_words: np.ndarray, index: int, step: int) -> float:
    """The words of the unbroken stretch of prose starting at `index` and going `step`-wards."""
    total = 0.0
    while 0 <= index < len(prose_words) and prose_words[index] > 0:
        total += prose_words[index]
        index += step
    return total


def _cues_to_edges(cued: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cue-bearing lines between a block and the top of the page, and the end: a scrape whose
    end carries no chrome at all ends with the story's own lines."""
    before = np.cumsum(cued) - cued
    after = cued.sum() - np.cumsum(cued)
    return np.log1p(before), np.log1p(after)


def _shape(row: np.ndarray) -> tuple:
    """A coarse look of a block: how long, how it ends, whether it is capitalised like a title."""
    words = math.expm1(row[_L["log_words"]])
    size = 0 if words <= 3 else 1 if words <= 20 else 2
    return size, row[_L["ends_sentence"]] > 0, row[_L["title_case"]] > 0.6, row[_L["digits"]] > 0


def _alike_runs(local: np.ndarray) -> np.ndarray:
    """How many neighbouring blocks in a row look the same: menus, tag clouds and headline rails
    are runs of look-alike lines; a story's paragraphs and lists vary."""
    shapes = [_shape(row) for row in local]
    runs = np.zeros(len(shapes))
    start = 0
    for index in range(1, len(shapes) + 1):
        if index == len(shapes) or shapes[index] != shapes[start]:
            runs[start:index] = index - start
            start = index
    return runs
