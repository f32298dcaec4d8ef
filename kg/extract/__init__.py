"""Extraction pass: spaCy pipeline (entities) + relation rules -> ``Extraction`` values.

``extract_doc`` is the one entry point the build calls per parsed segment; it is a pure
function of its inputs (same Doc, source and context: same facts, same order).
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Extraction, SourceDocument
from .pipeline import load_pipeline
from .relations import ExtractionContext, extract_relations


def extract_doc(doc: Doc, source: SourceDocument, segment_start: int = 0,
                context: ExtractionContext | None = None) -> list[Extraction]:
    """Every fact found in ``doc``, the parse of ``source.text[segment_start:segment_start + len(doc.text)]``.

    Mentions carry offsets into ``source.text``; evidence offsets point into the original file
    text (through ``source.offset_map``). Facts are not filtered by confidence here: the caller
    applies ``Settings.min_confidence``.
    """
    return extract_relations(doc, source, segment_start, context)


__all__ = ["extract_doc", "load_pipeline", "ExtractionContext"]
