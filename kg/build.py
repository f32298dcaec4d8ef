"""The main job: sources in, graph files out.

``build()`` runs ingest -> extract -> resolve -> graph and writes every output through a staging
folder, so a failed or interrupted build leaves the previous outputs as they were.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import KGError, NoSourcesError, SourceError
from .model import Extraction, SourceDocument, Statement
from .settings import Settings

# spaCy's own limit is 1,000,000 characters per Doc; long documents are parsed in pieces cut at
# paragraph breaks, small enough to batch well over several processes.
SEGMENT_CHARS = 50_000
# below this many characters, starting worker processes costs more than it saves
PARALLEL_MIN_CHARS = 200_000

OUTPUT_FILES = ("graph.ttl", "graph.trig", "statements.jsonl", "graph.html", "build.json")

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SourceFailure:
    path: str
    message: str


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    documents: int
    failures: tuple[SourceFailure, ...]
    entities_by_type: dict[str, int]
    statements_by_predicate: dict[str, int]
    statements: int
    triples: int
    seconds: float
    outputs: dict[str, Path] = field(default_factory=dict)
    spacy_model: str = ""
    spacy_model_version: str = ""


def segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of ``text`` no longer than ``limit``, cut at paragraph or line breaks."""
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = window.rfind("\n\n")
        if cut < limit // 4:
            cut = window.rfind("\n")
        if cut < limit // 4:
            cut = window.rfind(". ")
        cut = limit if cut < limit // 4 else cut + 1
        pieces.append((start, start + cut))
        start += cut
    if start < len(text) or not pieces:
        pieces.append((start, len(text)))
    return pieces


def read_sources(paths: Sequence[Path]) -> tuple[list[SourceDocument], list[SourceFailure]]:
    from .ingest import read_sources as ingest_sources

    result = ingest_sources(paths)
    failures = [SourceFailure(getattr(e, "path", "") or "", str(e)) for e in result.errors]
    return list(result.documents), failures


def extract_all(documents: Sequence[SourceDocument], settings: Settings, nlp=None,
                progress: ProgressCallback | None = None) -> Iterator[Extraction]:
    """Parse every document with spaCy (streamed, batched, over ``settings.n_process`` processes)
    and yield the facts the rules find, in document order."""
    from .extract import extract_doc
    from .extract.pipeline import load_pipeline

    nlp = nlp or load_pipeline(settings)
    tasks = [(doc_index, start, end) for doc_index, d in enumerate(documents) for start, end in segments(d.text)]
    total_chars = sum(len(d.text) for d in documents)
    n_process = settings.n_process if total_chars >= PARALLEL_MIN_CHARS and len(tasks) > 1 else 1
    stream = ((documents[i].text[s:e], (i, s)) for i, s, e in tasks)
    done = 0
    for spacy_doc, (doc_index, start) in nlp.pipe(stream, as_tuples=True, batch_size=settings.batch_size,
                                                  n_process=n_process):
        yield from extract_doc(spacy_doc, documents[doc_index], start)
        done += 1
        if progress:
            progress("extract", done, len(tasks))


def kg_version() -> str:
    from . import __version__

    return __version__


def build(sources: Sequence[str | Path] = ("sources",), out: str | Path = "output", settings: Settings | None = None,
          progress: ProgressCallback | None = None, strict: bool = False, html: bool = True) -> BuildResult:
    """Build the graph from ``sources`` (files or folders) into ``out``.

    Writes graph.ttl, graph.trig, statements.jsonl, graph.html, build.json and store/. Raises
    ``NoSourcesError`` when nothing could be read; with ``strict``, any unreadable source is fatal.
    """
    from .extract.pipeline import load_pipeline
    from .graph import BuildInfo, statement_quads, write_trig, write_turtle
    from .jsonl import dumps_statements
    from .resolve import resolve
    from .store import load_quads

    settings = settings or Settings()
    started = time.perf_counter()
    out_dir = Path(out)
    documents, failures = read_sources([Path(s) for s in sources])
    if strict and failures:
        raise SourceError(failures[0].message, "Fix or remove the file, or build without --strict.")
    if not documents:
        raise NoSourcesError("No readable sources in " + ", ".join(str(s) for s in sources) + ".")
    documents.sort(key=lambda d: d.id)

    nlp = load_pipeline(settings)
    extractions = [e for e in extract_all(documents, settings, nlp, progress)
                   if e.confidence >= settings.min_confidence]
    statements: list[Statement] = resolve(extractions)

    model_name = settings.model
    info = BuildInfo.from_settings(kg_version(), settings, nlp.meta.get("version"))
    versions = {"spacy_model_version": info.spacy_model_version or ""}
    quads = statement_quads(statements, documents, info, settings.base_iri)

    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out_dir))
    try:
        write_turtle(quads, staging / "graph.ttl")
        write_trig(quads, staging / "graph.trig")
        (staging / "statements.jsonl").write_text(dumps_statements(statements, settings.base_iri), encoding="utf-8")
        if html:
            from .views import ViewOptions, write_html

            write_html(statements, staging / "graph.html", ViewOptions(title="Knowledge graph of " + ", ".join(
                d.metadata.title or d.id for d in documents[:3]) + (" …" if len(documents) > 3 else "")))
        load_quads(staging / "store", quads)
        seconds = time.perf_counter() - started
        result = BuildResult(
            out_dir=out_dir, documents=len(documents), failures=tuple(failures),
            entities_by_type=dict(sorted(Counter(e.type for e in _entities(statements)).items())),
            statements_by_predicate=dict(sorted(Counter(s.predicate for s in statements).items())),
            statements=len(statements), triples=len({(q.subject, q.predicate, q.object) for q in quads}),
            seconds=round(seconds, 2), spacy_model=model_name, spacy_model_version=versions["spacy_model_version"],
            outputs={name: out_dir / name for name in (*OUTPUT_FILES, "store")
                     if (staging / name).exists() or name == "build.json"},
        )
        (staging / "build.json").write_text(_manifest(result, documents, settings), encoding="utf-8")
        _publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _entities(statements: Sequence[Statement]):
    seen = {}
    for s in statements:
        seen.setdefault(s.subject.key, s.subject)
        seen.setdefault(s.object.key, s.object)
    return seen.values()


def _manifest(result: BuildResult, documents: Sequence[SourceDocument], settings: Settings) -> str:
    """The build's own record, wall-clock time included (kept out of the graph files so that
    those stay byte-identical across builds)."""
    return json.dumps({
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": result.seconds,
        "kg_version": kg_version(),
        "spacy_model": result.spacy_model,
        "spacy_model_version": result.spacy_model_version,
        "settings": {k: v for k, v in asdict(settings).items()},
        "sources": [{"id": d.id, "sha256": d.sha256, "genre": d.metadata.genre} for d in documents],
        "failures": [asdict(f) for f in result.failures],
        "statements": result.statements,
        "triples": result.triples,
    }, indent=2, sort_keys=True) + "\n"


def _publish(staging: Path, out_dir: Path) -> None:
    """Move finished outputs into place; each file is replaced in one rename."""
    for item in sorted(staging.iterdir()):
        target = out_dir / item.name
        if item.is_dir():
            old = out_dir / f".{item.name}.old"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                os.replace(target, old)
            os.replace(item, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(item, target)


__all__ = ["BuildResult", "SourceFailure", "build", "extract_all", "read_sources", "segments", "KGError"]
