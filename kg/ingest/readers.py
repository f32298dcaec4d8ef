"""Read one source file into a :class:`~kg.model.SourceDocument`.

``SourceDocument.original_text`` is what offsets in evidence point into:

* plain text and Markdown: the file's decoded text (Markdown markup included, so an offset
  lands on the same character an editor shows);
* HTML: the text extracted by :func:`kg.ingest.html.html_to_text`, not the markup;
* PDF: the page texts extracted by pypdf, joined with form feeds.

``SourceDocument.text`` is the cleaned text extraction reads, and
``SourceDocument.offset_map`` maps offsets in it to offsets in ``original_text``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import KGError, NoSourcesError, SourceError
from ..model import SourceDocument
from .cleaning import clean_mapped
from .decoding import decode_bytes
from .discover import SourceFile, discover
from .html import html_to_text
from .mapped import MappedText
from .markdown import strip_markdown
from .metadata import build_metadata
from .pdf import pdf_to_text

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}


def _read_bytes(source: SourceFile) -> bytes:
    path = source.path
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise SourceError(f"{source.id}: the file disappeared before it could be read.",
                          "Was it moved or deleted during the build? Run the build again.") from error
    except PermissionError as error:
        raise SourceError(f"{source.id}: cannot read the file: permission denied.",
                          f"Check the permissions of {path}.") from error
    except IsADirectoryError as error:
        raise SourceError(f"{source.id}: is a folder, not a file.") from error
    except OSError as error:
        raise SourceError(f"{source.id}: cannot read the file ({error.strerror or error}).") from error


def read_source(source: SourceFile | Path | str, root: Path | None = None) -> SourceDocument:
    """Read, decode, extract, clean and describe one source file.

    Accepts a :class:`SourceFile` from :func:`discover`, or a path and the root its id is
    relative to (the file's folder by default).
    """
    if not isinstance(source, SourceFile):
        source = SourceFile.of(Path(source), Path(root) if root is not None else None)
    data = _read_bytes(source)
    if not data.strip():
        raise SourceError(f"{source.id}: the file is empty.",
                          "Add text to it or remove it from the sources.")
    suffix = source.path.suffix.lower()
    media_type = MEDIA_TYPES.get(suffix, "text/plain")
    declared: dict[str, str] = {}
    if media_type == "application/pdf":
        original, declared = pdf_to_text(data, source.id)
        prepared = MappedText.identity(original)
    else:
        original, _encoding = decode_bytes(data, source.id)
        if media_type == "text/markdown":
            prepared, declared = strip_markdown(original)
        elif media_type == "text/html":
            original, declared = html_to_text(original)
            prepared = MappedText.identity(original)
        else:
            prepared = MappedText.identity(original)
    cleaned = clean_mapped(prepared)
    if not cleaned.text.strip():
        raise SourceError(f"{source.id}: no text left after reading the file.",
                          "Check that it holds prose rather than only markup or page furniture.")
    return SourceDocument(
        id=source.id,
        path=source.path,
        sha256=hashlib.sha256(data).hexdigest(),
        text=cleaned.text,
        original_text=original,
        offset_map=cleaned.offset_map,
        metadata=build_metadata(source.path, cleaned.text, declared),
        media_type=media_type,
    )


def iter_sources(paths: Sequence[Path | str]) -> Iterator[SourceDocument | SourceError]:
    """Every readable source as a SourceDocument, every unreadable one as its SourceError.

    The build can report the errors and go on with the rest. Paths that do not exist are
    reported the same way; :class:`NoSourcesError` is raised only when no path holds any
    source file at all.
    """
    missing = [SourceError(f"No such file or folder: {p}",
                           "Check the path, or create the folder and put sources in it.")
               for p in paths if not Path(p).exists()]
    present = [p for p in paths if Path(p).exists()]
    try:
        found = discover(present) if present else []
    except NoSourcesError:
        found = []
    if not found:
        detail = " ".join(str(e) for e in missing)
        shown = ", ".join(map(str, paths)) or "(no paths given)"
        raise NoSourcesError(f"No source files found in {shown}. {detail}".strip())
    yield from missing
    for source in found:
        try:
            yield read_source(source)
        except SourceError as error:
            yield error
        except KGError:
            raise
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the build
            yield SourceError(f"{source.id}: could not be read ({type(error).__name__}: {error}).",
                              "Report this with the file if it looks like a bug.")


@dataclass(frozen=True)
class IngestResult:
    documents: tuple[SourceDocument, ...]
    errors: tuple[SourceError, ...]


def read_sources(paths: Sequence[Path | str]) -> IngestResult:
    """All sources at once: the documents read, and one error per file that could not be."""
    documents: list[SourceDocument] = []
    errors: list[SourceError] = []
    for item in iter_sources(paths):
        (errors if isinstance(item, SourceError) else documents).append(item)
    return IngestResult(tuple(documents), tuple(errors))
