"""The text layer of a PDF through pypdf: one text per page, pages joined by form feeds.

The form feeds tell cleaning where pages end, so running headers, footers and page numbers can
be recognised. The joined text is the document's ``original_text``: offsets point into it.
A PDF without a text layer (a scan) needs OCR first; this reader says so instead of guessing.
"""
from __future__ import annotations

import io
import logging

from ..errors import SourceError

_MIN_TEXT_CHARACTERS = 20  # fewer letters than this over the whole file means no text layer


def pdf_to_text(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    """Page texts joined by "\\f", and the document information (title, author, date)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs recoverable damage as warnings; the user gets our message or a result instead
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(f"{name}: the PDF is password-protected.",
                              "Save an unprotected copy and ingest that.")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except SourceError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, NotImplementedError) as error:
        raise SourceError(f"{name}: cannot read this PDF ({type(error).__name__}: {error}).",
                          "The file may be corrupt or truncated; re-export or re-download it.") from error
    text = "\f".join(page.strip("\n") for page in pages)
    if sum(1 for c in text if c.isalnum()) < _MIN_TEXT_CHARACTERS:
        raise SourceError(f"{name}: the PDF has no text layer (it looks like a scan), "
                          f"{len(pages)} page(s).",
                          "Run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) and ingest the result.")
    declared: dict[str, str] = {}
    if info is not None:
        for key, value in (("title", info.title), ("author", info.author)):
            if isinstance(value, str) and value.strip():
                declared[key] = value.strip()
        raw_date = info.get("/CreationDate")
        if isinstance(raw_date, str):
            declared["date"] = raw_date
    return text, declared
