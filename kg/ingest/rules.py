"""The cleaning rules (``data/cleaning.json``), loaded once and compiled."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import RuleError

RULES_FILE = "cleaning.json"


@dataclass(frozen=True)
class RunningHeaderRules:
    max_length: int
    min_repeats_unpaged: int
    min_median_gap_lines: int
    # lines that differ only in a number ("Page 3", "DOCUMENT No. 2") count as a running header
    # only when they recur as regularly as pages do: largest gap <= this times the smallest
    max_gap_spread_when_numbered: float
    paged_edge_lines: int
    min_page_share: float
    zone_radius_lines: int
    min_repeats_in_zone: int


# identity equality: the compiled rules are a cache key, and dict fields are not hashable
@dataclass(frozen=True, eq=False)
class CleaningRules:
    hyphen_keep_prefixes: frozenset[str]
    abbreviations_before_numbers: frozenset[str]
    bullet_glyphs: str
    ligatures: dict[str, str]
    space_characters: str
    line_break_characters: str
    deleted_characters: str
    page_number: re.Pattern[str]
    block_start: re.Pattern[str]
    lettered_item: re.Pattern[str]
    footnote_marker: re.Pattern[str]
    running_header: RunningHeaderRules
    min_continuation_lines: int
    short_line_ratio: float
    very_short_line_ratio: float


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def load_rules() -> CleaningRules:
    raw = resources.files("kg.ingest").joinpath("data", RULES_FILE).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
        wrapping = data["wrapping"]
        return CleaningRules(
            hyphen_keep_prefixes=frozenset(data["hyphen_keep_prefixes"]),
            abbreviations_before_numbers=frozenset(data["abbreviations_before_numbers"]),
            bullet_glyphs=data["bullet_glyphs"],
            ligatures=dict(data["ligatures"]),
            space_characters=data["space_characters"],
            line_break_characters=data["line_break_characters"],
            deleted_characters=data["deleted_characters"],
            page_number=_alternation(data["page_number_patterns"]),
            block_start=_alternation(data["block_start_patterns"]),
            lettered_item=re.compile(data["lettered_item_pattern"]),
            footnote_marker=re.compile(data["footnote_marker_pattern"]),
            running_header=RunningHeaderRules(**data["running_header"]),
            min_continuation_lines=int(wrapping["min_continuation_lines"]),
            short_line_ratio=float(wrapping["short_line_ratio"]),
            very_short_line_ratio=float(wrapping["very_short_line_ratio"]),
        )
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise RuleError(f"The ingest cleaning rules in kg/ingest/data/{RULES_FILE} are malformed: "
                        f"{error}") from error
