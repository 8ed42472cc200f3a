"""Properties of the normaliser over generated input: no crash, nothing lost, output that reads back."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import Config
from digest.ingest.decode import Rejected, clean_text, decode
from digest.ingest.normalise import normalise
from digest.ingest.seed import ingest_seed
from digest.ingest.store import is_untouched, render_content
from digest.model import parse_article

CONFIG = Config()
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that open chrome lines elsewhere ("Share", "Advertisement", "Related", "Watch") are in the
# vocabulary on purpose: inside a real sentence they must not get it dropped. ("Subscribe" opens no
# sentence in news that is not a prompt, so it is only used inside sentences.)
WORDS = (
    "share shares advertisement related watch video copyright subscribe newsletter comments reply read more "
    "minister council said on the a of prices rose fell talks police river mayor budget Monday Paris Kyiv "
    "Reuters AP Zelensky Putin 2025 15% $200 talks—and “quoted” it’s U.S. Mr. (aside) …"
).split()
CAPITALISED = "Share Advertisement Related Watch Copyright The Officials Prices Police Residents Analysts".split()


@st.composite
def sentences(draw) -> str:
    first = draw(st.sampled_from(CAPITALISED))
    rest = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=18))
    verb = draw(st.sampled_from(["said", "rose", "fell", "warned"]))  # a sentence says something
    rest.insert(draw(st.integers(0, len(rest))), verb)
    if first == "Copyright" and rest[0][:1].isdigit():  # "Copyright 2025 …" is a notice by its form
        rest.insert(0, verb)
    last = draw(st.sampled_from([w for w in WORDS if w.isalpha()]))  # sentences end on a word
    return " ".join([first, *rest, last]) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def articles(draw) -> tuple[str, list[str]]:
    paragraphs = draw(st.lists(st.lists(sentences(), min_size=1, max_size=3), min_size=1, max_size=6))
    chrome = ["Share", "Advertisement", "Leave A Reply", "See also Something Else Happened", "© 2025 Example News"]
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.append(" ".join(paragraph))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(chrome)))
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n\r\n"]))
    return separator.join(lines), [s for p in paragraphs for s in p]


def _flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


@FAST
@given(articles())
def test_no_sentence_that_is_not_boilerplate_is_lost(case: tuple[str, list[str]]) -> None:
    text, written = case
    article = normalise(decode(text), "seeds/x.txt", CONFIG).article
    body = _flat(article.body)
    for sentence in written:
        # a first line that reads as a headline moves to the title: kept, in front matter
        assert sentence in body or sentence in article.title
    for chrome in ("Leave A Reply", "See also Something", "© 2025"):
        assert chrome not in body


@FAST
@given(st.text(max_size=3000))
def test_any_text_normalises_or_is_rejected_and_reads_back(text: str) -> None:
    try:
        normalised = normalise(decode(text), "seeds/x.txt", CONFIG)
    except Rejected:
        assert not clean_text(text).strip()  # from text, only what cleans down to nothing is refused
        return
    article = replace(normalised.article, slug="x")
    written = render_content(article)
    assert is_untouched(written)
    back = parse_article(written)
    assert back.title == article.title.strip() and back.tags == article.tags and back.origin == "seeds/x.txt"
    assert back.body.strip() == article.body.strip()


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_article_or_a_reason(data: bytes) -> None:
    outcome = ingest_seed(data, "seeds/x.txt", CONFIG)
    assert (outcome.article is None) == bool(outcome.rejected)
    if outcome.rejected:
        assert "\n" not in outcome.rejected
