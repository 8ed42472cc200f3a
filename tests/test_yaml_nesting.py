"""digest's own nesting limit counts YAML's nesting exactly, whatever the text holds, and holds with any PyYAML."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.model import MAX_NESTING, FrontMatterError, load_yaml_mapping
from digest.yamlerrors import flow_depth

# Text full of what YAML treats specially: brackets, quotes, comment signs, indicators, line breaks.
TRICKY = st.text(alphabet="ab []{}'\"#:,-?\n\\|>&*!%@`", max_size=10)
NESTED = st.recursive(
    TRICKY,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text("abc", min_size=1, max_size=3), inner, max_size=3)
    ),
    max_leaves=25,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@settings(max_examples=500, deadline=None)
@given(NESTED)
def test_the_count_equals_the_nesting_of_any_flow_yaml(value: Any) -> None:
    text = yaml.safe_dump({"title": value}, default_flow_style=True, allow_unicode=True)
    assert yaml.safe_load(text) == {"title": value}
    assert flow_depth(text) == depth({"title": value})


@settings(max_examples=500, deadline=None)
@given(NESTED)
def test_block_yaml_opens_no_flow_levels_of_its_own(value: Any) -> None:
    text = yaml.safe_dump({"title": value}, default_flow_style=False, allow_unicode=True)
    assert flow_depth(text) <= depth({"title": value})


@pytest.mark.parametrize("levels", [MAX_NESTING + 1, 999, 1001, 50_000])
def test_deep_front_matter_gets_digests_message_at_any_depth(levels: int) -> None:
    """PyYAML 6.0.4's libyaml stops at 1000 levels with its own words; digest stops first, with its own."""
    for text in ("title: " + "[" * levels + "]" * levels, "title: " + "{a: " * levels + "}" * levels):
        with pytest.raises(FrontMatterError, match=f"nested more than {MAX_NESTING} levels"):
            load_yaml_mapping(text)


def test_brackets_in_text_are_not_nesting() -> None:
    text = "title: Report " + "[draft] " * 200 + "\nsummary: '" + "[" * 500 + "'\n# " + "{" * 500 + "\n"
    assert flow_depth(text) == 0
    assert load_yaml_mapping(text)["title"].startswith("Report [draft]")
