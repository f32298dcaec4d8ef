"""Text that remembers where each of its characters came from.

Every ingest stage (Markdown markup stripping, character normalisation, layout repair,
footnote-marker removal) only keeps, deletes or replaces characters of its input, never
invents text. A stage records what it keeps as *pieces* in a :class:`TextBuilder`; the result
is a :class:`MappedText` whose :class:`~kg.model.OffsetMap` leads back to the stage's input.
Stages chain with :func:`compose`, so the final cleaned text maps back to the file's text.

Pieces, not per-character index lists, keep a 20 MB file cheap: the map holds one anchor
per deletion or replacement, not one integer per character.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..model import OffsetMap


@dataclass(frozen=True)
class MappedText:
    """``text`` plus the map from offsets in ``text`` to offsets in the stage's input."""

    text: str
    offset_map: OffsetMap

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, OffsetMap())


class TextBuilder:
    """Accumulates kept and replaced characters of ``source`` in order, then builds a MappedText.

    Original positions handed to the builder never decrease, so the map is monotonic.
    """

    def __init__(self, source: str):
        self._source = source
        self._parts: list[str] = []
        self._clean_anchors: list[int] = []
        self._original_anchors: list[int] = []
        self._length = 0
        # original offset the next emitted character would map to without a new anchor
        self._expected_original: int | None = None

    def _anchor(self, original_start: int) -> None:
        if self._expected_original != original_start:
            self._clean_anchors.append(self._length)
            self._original_anchors.append(original_start)

    def copy(self, start: int, end: int) -> None:
        """Keep ``source[start:end]`` unchanged."""
        if end <= start:
            return
        self._anchor(start)
        self._parts.append(self._source[start:end])
        self._length += end - start
        self._expected_original = end

    def replace(self, text: str, original_index: int) -> None:
        """Put ``text`` where ``source[original_index]`` was (one or more characters)."""
        if not text:
            return
        self._anchor(original_index)
        self._parts.append(text[0])
        self._length += 1
        self._expected_original = original_index + 1
        for char in text[1:]:
            # an expansion (a ligature becoming two letters): extra characters point at the
            # same original character, which needs an anchor of its own
            self._clean_anchors.append(self._length)
            self._original_anchors.append(original_index)
            self._parts.append(char)
            self._length += 1
            self._expected_original = original_index + 1

    def build(self) -> MappedText:
        clean = tuple(self._clean_anchors) or (0,)
        original = tuple(self._original_anchors) or (0,)
        return MappedText("".join(self._parts), OffsetMap(clean, original))


def apply_deletions(text: str, deletions: list[tuple[int, int]]) -> MappedText:
    """Delete the (start, end) spans of ``text``; spans may overlap and come in any order."""
    if not deletions:
        return MappedText.identity(text)
    builder = TextBuilder(text)
    position = 0
    for start, end in sorted(deletions):
        if start > position:
            builder.copy(position, start)
        position = max(position, end)
    builder.copy(position, len(text))
    return builder.build()


def compose(outer: OffsetMap, inner: OffsetMap, inner_text_length: int) -> OffsetMap:
    """The map of a two-stage result: ``inner`` maps the final text to the intermediate text,
    ``outer`` maps the intermediate text to the original. Linear in the number of anchors."""
    if outer == OffsetMap():
        return inner
    if inner == OffsetMap():
        return outer
    clean: list[int] = []
    original: list[int] = []
    inner_anchors = list(zip(inner.clean, inner.original))
    for k, (clean_start, mid_start) in enumerate(inner_anchors):
        clean_end = inner_anchors[k + 1][0] if k + 1 < len(inner_anchors) else inner_text_length
        if clean_end <= clean_start and k + 1 < len(inner_anchors):
            continue
        length = max(clean_end - clean_start, 1)
        # split this run wherever the outer map has an anchor inside it
        position = clean_start
        mid = mid_start
        while True:
            clean.append(position)
            original.append(outer.to_original(mid))
            j = bisect.bisect_right(outer.clean, mid)
            if j >= len(outer.clean):
                break
            next_mid = outer.clean[j]
            if next_mid >= mid_start + length:
                break
            position += next_mid - mid
            mid = next_mid
    return _simplify(clean, original)


def _simplify(clean: list[int], original: list[int]) -> OffsetMap:
    """Drop anchors that the previous anchor already implies (same one-for-one run)."""
    kept_clean: list[int] = []
    kept_original: list[int] = []
    for c, o in zip(clean, original):
        if kept_clean and c == kept_clean[-1]:
            kept_original[-1] = o  # a later anchor at the same offset wins
            continue
        if kept_clean and o - kept_original[-1] == c - kept_clean[-1]:
            continue
        kept_clean.append(c)
        kept_original.append(o)
    if not kept_clean or kept_clean[0] != 0:
        kept_clean.insert(0, 0)
        kept_original.insert(0, original[0] if original else 0)
    return OffsetMap(tuple(kept_clean), tuple(kept_original))


def chain(first: MappedText, second: MappedText) -> MappedText:
    """``second`` was computed from ``first.text``: map ``second.text`` to ``first``'s input."""
    return MappedText(second.text, compose(first.offset_map, second.offset_map, len(second.text)))
