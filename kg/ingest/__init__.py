"""Ingest: find source files, read them (text, Markdown, HTML, PDF), clean the text with an
exact offset map back to the file's text, and attach sidecar metadata.

    from kg.ingest import discover, read_source, iter_sources
    for item in iter_sources([Path("sources")]):
        ...  # a SourceDocument, or a SourceError to report before going on
"""
from .cleaning import clean_text
from .discover import SOURCE_SUFFIXES, SourceFile, discover
from .metadata import build_metadata, read_sidecar
from .readers import IngestResult, iter_sources, read_source, read_sources

__all__ = [
    "SOURCE_SUFFIXES",
    "IngestResult",
    "SourceFile",
    "build_metadata",
    "clean_text",
    "discover",
    "iter_sources",
    "read_sidecar",
    "read_source",
    "read_sources",
]
