"""Repair the damage that PDF extraction and hard-wrapped files do to text, keeping offsets exact.

``clean_text(raw)`` returns the cleaned text and an :class:`~kg.model.OffsetMap` into ``raw``.
Cleaning runs three stages, each of which only keeps, deletes or replaces characters:

1. :func:`normalise_characters`: line endings to ``\\n``; tabs, no-break and other spaces to a
   plain space; soft hyphens, zero-width characters and stray control characters deleted;
   typographic ligatures (``ﬁ``) expanded; combining sequences composed (NFC). Curly quotes and
   dashes stay as they are.
2. :func:`kg.ingest.layout.repair_layout`: page numbers, running headers and footers removed;
   words hyphenated across lines rejoined; paragraphs rejoined; spaces collapsed.
3. :func:`remove_footnote_markers`: reference numbers left standing between a sentence's end
   and the next sentence ("... for the DPRK. 1 Sheltered ...") deleted.

The invariant tests rely on: for every offset ``i`` of the cleaned text,
``raw[map.to_original(i)] == cleaned[i]``, except where a whitespace character was replaced by
a space or newline, a ligature was expanded, or a combining sequence was composed. Deleted text
maps nowhere. Cleaning is idempotent: ``clean_text(clean_text(x)[0])[0] == clean_text(x)[0]``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..model import OffsetMap
from .layout import repair_layout
from .mapped import MappedText, TextBuilder, apply_deletions, chain
from .rules import CleaningRules, load_rules

_CONTROL = "\x00-\x08\x0e-\x1f\x7f"


@lru_cache(maxsize=1)
def _special_characters(rules: CleaningRules) -> re.Pattern[str]:
    chars = ("\r" + rules.space_characters + rules.line_break_characters + rules.deleted_characters
             + "".join(rules.ligatures))
    return re.compile("[" + re.escape(chars) + _CONTROL + "]")


def normalise_characters(text: str, rules: CleaningRules | None = None) -> MappedText:
    rules = rules or load_rules()
    special = _special_characters(rules)
    first = MappedText.identity(text)
    if special.search(text):
        builder = TextBuilder(text)
        position = 0
        for match in special.finditer(text):
            index = match.start()
            builder.copy(position, index)
            position = index + 1
            char = text[index]
            if char == "\r":
                if not text.startswith("\n", index + 1):
                    builder.replace("\n", index)
            elif char in rules.space_characters:
                builder.replace(" ", index)
            elif char in rules.line_break_characters:
                builder.replace("\n", index)
            elif char in rules.ligatures:
                builder.replace(rules.ligatures[char], index)
            # deleted characters and control characters are simply not copied
        builder.copy(position, len(text))
        first = builder.build()
    if unicodedata.is_normalized("NFC", first.text):
        return first
    return chain(first, _compose_nfc(first.text))


def _compose_nfc(text: str) -> MappedText:
    """NFC line by line; each composed cluster maps to the cluster's first original character."""
    builder = TextBuilder(text)
    position = 0
    for line in re.finditer(r"[^\n]+", text):
        if unicodedata.is_normalized("NFC", line.group()):
            continue
        builder.copy(position, line.start())
        cluster_start = line.start()
        for index in range(line.start() + 1, line.end() + 1):
            if index < line.end() and unicodedata.combining(text[index]):
                continue
            cluster = text[cluster_start:index]
            composed = unicodedata.normalize("NFC", cluster)
            if composed == cluster:
                builder.copy(cluster_start, index)
            else:
                builder.replace(composed, cluster_start)
            cluster_start = index
        position = line.end()
    builder.copy(position, len(text))
    return builder.build()


def remove_footnote_markers(text: str, rules: CleaningRules | None = None) -> MappedText:
    rules = rules or load_rules()
    deletions = []
    for match in rules.footnote_marker.finditer(text):
        # "p. 12", "No. 3", "K. 7": the number belongs to the abbreviation before the period
        before = text[max(0, match.start() - 12): match.start()]
        word = re.split(r"[\s(\[]", before)[-1].rstrip(".!?").lower()
        if len(word) <= 1 or word in rules.abbreviations_before_numbers:
            continue
        deletions.append(match.span(1))
    return apply_deletions(text, deletions)


def clean_mapped(mapped: MappedText, rules: CleaningRules | None = None) -> MappedText:
    """Clean text that is itself already mapped to a file's text (e.g. Markdown without markup)."""
    rules = rules or load_rules()
    normalised = normalise_characters(mapped.text, rules)
    laid_out = chain(normalised, repair_layout(normalised.text, rules))
    cleaned = chain(laid_out, remove_footnote_markers(laid_out.text, rules))
    return chain(mapped, cleaned)


def clean_text(raw: str) -> tuple[str, OffsetMap]:
    """Cleaned text and the map from its offsets to offsets in ``raw``."""
    cleaned = clean_mapped(MappedText.identity(raw))
    return cleaned.text, cleaned.offset_map
