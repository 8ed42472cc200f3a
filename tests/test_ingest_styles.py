"""The style set: articles written in many outlets' styles, every expectation checked, each failure named."""

from __future__ import annotations

from style_checks import CHECKS, load_style_set, run_checks

MIN_ARTICLES = 40


def test_style_set_covers_the_categories() -> None:
    entries = load_style_set()
    assert len(entries) >= MIN_ARTICLES
    used = {check for entry in entries for check in entry["expect"]}
    assert used == set(CHECKS), set(CHECKS) - used
    names = [entry["name"] for entry in entries]
    assert len(names) == len(set(names))


def test_every_style_check_passes() -> None:
    passed, failures = run_checks(load_style_set())
    report = "\n".join(str(failure) for failure in failures)
    assert not failures, f"{len(failures)} of {passed + len(failures)} checks failed:\n{report}"
