import dataclasses
import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.model import Article, Digest, FrontMatterError, date_sort_value, dump_article, parse_article, slugify


def sample(**changes) -> Article:
    fields = dict(
        slug="trump-putin-talks",
        title="Trump: “Putin talks” — next week?",
        body="First paragraph.\n\nSecond paragraph.",
        date=dt.date(2025, 8, 14),
        source="Reuters",
        tags=["Donald Trump", "Vladimir Putin"],
        summary="First paragraph.",
        origin="seeds/000.txt",
    )
    fields.update(changes)
    return Article(**fields)


def test_round_trip_keeps_every_field():
    article = sample(date_inferred=True, digest="summit", extra={"word_count": 4})
    back = parse_article(dump_article(article))
    assert back == article


def test_datetimes_are_written_in_iso_8601():
    moment = dt.datetime(2025, 8, 14, 10, 32, tzinfo=dt.timezone.utc)
    text = dump_article(sample(date=moment))
    assert "date: 2025-08-14T10:32:00+00:00\n" in text
    assert parse_article(text).date == moment


def test_field_order_is_the_contract_order():
    text = dump_article(sample())
    keys = [line.split(":")[0] for line in text.split("---")[1].strip().splitlines() if not line.startswith(("-", " "))]
    assert keys == ["title", "date", "source", "tags", "summary", "slug", "origin"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("no front matter at all", "no front matter"),
        ("---\ntitle: x\nbody without closing", "not closed"),
        ("---\ntitle: x\nsummary: a: b\n---\nbody", "line 3: invalid YAML"),
        ("---\ntitle: x\ndate: 2025-13-45\n---\n", "date: '2025-13-45' is not a valid ISO 8601 date"),
        ("---\ntitle: x\ndate: yesterday-ish\n---\n", "not a valid ISO 8601 date"),
        ("---\ntitle: ''\n---\nbody", "title: missing or empty"),
        ("---\n- a\n- b\n---\n", "must be a mapping"),
        ("---\ntitle: !!python/object/apply:os.system ['id']\n---\n", "invalid YAML"),
        ("---\na: &a [x, x]\nb: &b [*a, *a]\ntitle: t\n---\n", "aliases"),
        ("---\ntitle: x\ntags: {a: 1}\n---\n", "tags: expected a list"),
    ],
)
def test_bad_front_matter_is_one_clear_error(text, problem):
    with pytest.raises(FrontMatterError) as error:
        parse_article(text)
    assert problem in str(error.value)


def test_tags_written_as_a_string_are_accepted_as_a_list():
    article = parse_article("---\ntitle: x\ntags: Putin, Trump\n---\nbody\n")
    assert article.tags == ["Putin", "Trump"]


def test_unknown_fields_are_kept_in_order():
    article = parse_article("---\ntitle: x\nzeta: 1\nalpha: 2\n---\nbody\n")
    assert list(article.extra) == ["zeta", "alpha"]
    assert "zeta: 1\nalpha: 2\n" in dump_article(article)


@pytest.mark.parametrize("text", ["CON", "../../etc/passwd", "", "---", "Ünïcödé: “quotes”", "a" * 300])
def test_slugs_are_safe_file_names(text):
    slug = slugify(text)
    assert slug and len(slug) <= 80
    assert slug.isascii() and "/" not in slug and ".." not in slug
    assert slug.upper() not in {"CON", "PRN", "AUX", "NUL"}


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1).filter(lambda t: t.strip()),
    body=st.text(),
    tags=st.lists(st.text(min_size=1).filter(lambda t: t.strip())),
    source=st.text(),
)
def test_any_text_round_trips_through_front_matter(title, body, tags, source):
    article = sample(title=title.strip(), body=body, tags=[t.strip() for t in tags], source=source.strip())
    try:
        text = dump_article(article)
    except Exception as error:  # the emitter refuses some control characters: ingest strips those first
        pytest.skip(f"unrepresentable: {error}")
    back = parse_article(text)
    assert back.title == article.title
    assert back.tags == article.tags
    assert back.body.strip("\n") == article.body.strip("\n") or not article.body.strip()


def test_a_long_valid_slug_is_kept_as_written():
    slug = "a" * 78 + "-2"
    assert parse_article(f"---\ntitle: x\nslug: {slug}\n---\nbody\n").slug == slug


def test_a_slug_that_is_not_one_is_made_safe():
    assert parse_article("---\ntitle: x\nslug: ../../etc/passwd\n---\nbody\n").slug == "etc-passwd"
    assert parse_article("---\ntitle: x\nslug: CON\n---\nbody\n").slug == "con-1"
    assert parse_article("---\ntitle: x\nslug: con\n---\nbody\n").slug == "con-1"


def test_an_article_is_changed_only_by_making_another_whose_fingerprints_and_order_follow_the_change():
    article = Article(slug="a", title="Harbour wall repairs", body="The council voted.", date=dt.date(2025, 3, 4))
    fields, body = article.fingerprints
    sort_key = article.sort_key
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.title = "Something else"  # type: ignore[misc]
    retitled = dataclasses.replace(article, title="Harbour wall repairs delayed")
    assert retitled.fingerprints[0] != fields and retitled.fingerprints[1] == body
    rewritten = dataclasses.replace(article, body="The council voted again.")
    assert rewritten.fingerprints == (fields, rewritten.fingerprints[1]) and rewritten.fingerprints[1] != body
    redated = dataclasses.replace(article, date=dt.date(2025, 3, 5))
    assert redated.sort_key > sort_key and redated.fingerprints[0] != fields
    assert article.fingerprints == (fields, body) and article.sort_key == sort_key


def test_an_article_read_back_from_a_cache_keeps_what_it_worked_out_and_equals_the_one_it_was():
    article = Article(slug="a", title="Harbour wall repairs", body="The council voted.", tags=["Harbour"])
    worked_out = article.fingerprints
    back = pickle.loads(pickle.dumps(article))
    assert back == article and back.__dict__["fingerprints"] == worked_out
    assert dataclasses.replace(back, tags=["Council"]).fingerprints[0] != worked_out[0]


_DATES = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1), timezones=st.just(dt.timezone.utc)
    ),
)


@given(st.lists(st.tuples(_DATES, _DATES), max_size=8))
def test_a_digest_spans_from_its_earliest_to_its_latest_stated_date(dates) -> None:
    articles = [Article(slug=f"a{i}", title="t", date=date, added=added) for i, (date, added) in enumerate(dates)]
    digest = Digest(slug="d", name="D", articles=articles)
    stated = [date for date, _ in dates if date is not None]
    assert digest.date_from == (min(stated, key=date_sort_value) if stated else None)
    assert digest.date_to == (max(stated, key=date_sort_value) if stated else None)
