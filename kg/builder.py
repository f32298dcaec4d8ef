"""The main job: sources in, graph files out.

``build()`` runs ingest -> extract -> resolve -> graph and writes every output through a staging
folder, so a failed or interrupted build leaves the previous outputs as they were. One build at a
time per output folder (an exclusive lock on ``OUT/.kg-build.lock``). The extraction of each
source is cached under ``OUT/.cache/`` (``kg.cache``), so a rebuild parses only what changed;
parsing runs in this process, over local worker processes or on a Dask cluster
(``kg.distributed``), with the same output whichever is used.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import BuildLockedError, KGError, NoSourcesError, SourceError
from .model import Extraction, SourceDocument, Statement
from .settings import Settings

# spaCy's own limit is 1,000,000 characters per Doc; long documents are parsed in pieces cut at
# paragraph breaks. Time and reported-speech context restart at each cut, so pieces are long:
# a typical paper or report stays whole, and many-document corpora still batch across processes.
SEGMENT_CHARS = 200_000
# below this many characters, starting worker processes costs more than it saves
PARALLEL_MIN_CHARS = 200_000

OUTPUT_FILES = ("graph.ttl", "graph.trig", "statements.jsonl", "graph.html", "build.json")
LOCK_FILENAME = ".kg-build.lock"
STAGING_PREFIX = ".kg-build-"

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
    cache_hits: int = 0  # sources whose extractions came from OUT/.cache
    cache_misses: int = 0  # sources parsed by this build
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step
    up_to_date: bool = False  # nothing changed since the build in OUT: its outputs were kept as they are


@dataclass(frozen=True)
class ExtractionRun:
    """What the extraction pass returns: every fact (before the confidence filter), in source order."""

    extractions: tuple[Extraction, ...]
    cache_hits: int = 0
    cache_misses: int = 0
    processes: int = 1  # worker processes used (0: a Dask cluster)


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


def spacy_model_version(model: str) -> str | None:
    """The installed pipeline's version, read from its meta.json without loading it (a no-op
    rebuild must not pay for loading the model)."""
    import spacy.util

    try:
        path = Path(model) if Path(model).is_dir() else spacy.util.get_package_path(model)
        return spacy.util.get_model_meta(path).get("version")
    except Exception:  # noqa: BLE001 - any failure here: learn it from the loaded pipeline instead
        from .distributed import worker_pipeline

        return worker_pipeline(Settings(model=model)).meta.get("version")


def extract_documents(documents: Sequence[SourceDocument], settings: Settings, *, cache=None,
                      dask_address: str | None = None, progress: ProgressCallback | None = None) -> ExtractionRun:
    """The extraction pass over ``documents``: cached sources are read back, the others parsed.

    Parsing runs on the Dask cluster at ``dask_address`` when given; otherwise over
    ``settings.n_process`` local processes when there is enough text to repay starting them,
    else in this process. ``cache`` is a ``kg.cache.ExtractionCache`` or None.
    """
    from . import distributed
    from .distributed import chunked, run_in_process, run_on_dask, run_on_pool, segment_stream, worker_pipeline

    found: dict[int, list[Extraction]] = {}
    to_parse: list[int] = []
    for index, source in enumerate(documents):
        cached = cache.get(source) if cache is not None else None
        if cached is None:
            to_parse.append(index)
        else:
            found[index] = cached
    hits = len(found)

    def cut(text: str) -> list[tuple[int, int]]:
        return segments(text, SEGMENT_CHARS)

    pieces = {i: cut(documents[i].text) for i in to_parse}
    total = sum(len(p) for p in pieces.values())
    chars = sum(len(documents[i].text) for i in to_parse)
    chunks = chunked(segment_stream(((i, documents[i]) for i in to_parse), cut), distributed.CHUNK_CHARS)
    if not to_parse:
        processes, results = 0, iter(())
    elif dask_address:
        processes, results = 0, run_on_dask(settings, chunks, dask_address)
    elif settings.n_process > 1 and chars >= PARALLEL_MIN_CHARS and total > 1:
        worker_pipeline(settings)  # loaded once here; forked workers share it
        processes, results = settings.n_process, run_on_pool(settings, chunks, settings.n_process)
    else:
        processes, results = 1, run_in_process(settings, chunks)

    partial: dict[int, dict[int, tuple[Extraction, ...]]] = {i: {} for i in to_parse}
    done = 0
    for chunk_results in results:
        for result in chunk_results:
            partial[result.doc_index][result.start] = result.extractions
            done += 1
            if len(partial[result.doc_index]) == len(pieces[result.doc_index]):
                # a source is complete: merge its segments in text order and cache it
                per_segment = partial.pop(result.doc_index)
                merged = [e for start in sorted(per_segment) for e in per_segment[start]]
                found[result.doc_index] = merged
                if cache is not None:
                    cache.put(documents[result.doc_index], merged)
        if progress:
            progress("extract", done, total)
    if partial:
        raise KGError(f"The extraction of {len(partial)} source(s) did not complete.",
                      "Run the build again; if it keeps failing, build with --processes 1.")
    ordered = tuple(e for index in range(len(documents)) for e in found[index])
    return ExtractionRun(ordered, cache_hits=hits, cache_misses=len(to_parse), processes=processes)


def extract_all(documents: Sequence[SourceDocument], settings: Settings, nlp=None,
                progress: ProgressCallback | None = None) -> Iterator[Extraction]:
    """Every fact the rules find in ``documents``, in document order (no cache)."""
    if nlp is not None:
        from .distributed import keep_pipeline

        keep_pipeline(settings, nlp)
    yield from extract_documents(documents, settings, progress=progress).extractions


def kg_version() -> str:
    from . import __version__

    return __version__


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[Path]:
    """Hold ``OUT/.kg-build.lock`` exclusively for the duration; a second build fails at once.

    The lock is the kernel's (``flock``), so it is released when the holder exits, however it
    exits: a killed build never leaves the folder locked. The file itself stays.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_FILENAME
    handle = open(path, "a+b")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(f"Another build is running in {out_dir} (it holds {path}).") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode("ascii"))
        handle.flush()
        yield path
    finally:
        handle.close()  # closing releases the lock


def _remove_stale_staging(out_dir: Path) -> None:
    # under the lock no other build is running: staging folders left here were orphaned by a kill
    for leftover in out_dir.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def build(sources: Sequence[str | Path] = ("sources",), out: str | Path = "output", settings: Settings | None = None,
          progress: ProgressCallback | None = None, strict: bool = False, html: bool = True, *,
          dask_address: str | None = None, use_cache: bool = True) -> BuildResult:
    """Build the graph from ``sources`` (files or folders) into ``out``.

    Writes graph.ttl, graph.trig, statements.jsonl, graph.html, build.json and store/. Raises
    ``NoSourcesError`` when nothing could be read; with ``strict``, any unreadable source is fatal;
    ``BuildLockedError`` when another build writes to ``out``. ``dask_address``: parse on that
    Dask scheduler (``tcp://host:8786``). ``use_cache=False`` parses every source again (the cache
    is still refreshed).
    """
    from .cache import ExtractionCache, pipeline_fingerprint
    from .graph import BuildInfo
    from .resolve import resolve

    settings = settings or Settings()
    started = time.perf_counter()
    out_dir = Path(out)
    timings: dict[str, float] = {}
    with build_lock(out_dir):
        _remove_stale_staging(out_dir)
        documents, failures = read_sources([Path(s) for s in sources])
        if strict and failures:
            raise SourceError(failures[0].message, "Fix or remove the file, or build without --strict.")
        if not documents:
            error = NoSourcesError("No readable sources in " + ", ".join(str(s) for s in sources) + ".")
            error.failures = tuple(failures)  # so the caller can say why each file was skipped
            raise error
        documents.sort(key=lambda d: d.id)
        timings["ingest"] = time.perf_counter() - started

        mark = time.perf_counter()
        model_version = spacy_model_version(settings.model)
        cache = ExtractionCache.for_output(out_dir, pipeline_fingerprint(settings, model_version, kg_version()),
                                           read=use_cache)
        fingerprint = build_fingerprint(settings, [cache.key(d) for d in documents], failures, html)
        kept = _kept_outputs(out_dir, fingerprint) if use_cache else None
        if kept is not None:
            timings["up_to_date_check"] = time.perf_counter() - mark
            return replace(kept, documents=len(documents), failures=tuple(failures), cache_hits=len(documents),
                           cache_misses=0, seconds=round(time.perf_counter() - started, 2),
                           timings={k: round(v, 3) for k, v in timings.items()}, up_to_date=True)
        run = extract_documents(documents, settings, cache=cache, dask_address=dask_address, progress=progress)
        hits, misses = run.cache_hits, run.cache_misses
        timings["extract"] = time.perf_counter() - mark

        mark = time.perf_counter()
        extractions = [e for e in run.extractions if e.confidence >= settings.min_confidence]
        del run
        statements: list[Statement] = resolve(extractions, documents=documents)
        del extractions
        timings["resolve"] = time.perf_counter() - mark

        # the texts are parsed: from here on only ids, hashes and metadata are needed
        from .distributed import light_source

        documents = [light_source(d) for d in documents]
        info = BuildInfo.from_settings(kg_version(), settings, model_version)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
        try:
            written = write_graph_outputs(staging, statements, documents, info, settings, html=html,
                                          layout_cache=out_dir / ".cache", timings=timings)
            seconds = time.perf_counter() - started
            result = BuildResult(
                out_dir=out_dir, documents=len(documents), failures=tuple(failures),
                entities_by_type=dict(sorted(Counter(e.type for e in _entities(statements)).items())),
                statements_by_predicate=dict(sorted(Counter(s.predicate for s in statements).items())),
                statements=len(statements), triples=written.triples,
                seconds=round(seconds, 2), spacy_model=settings.model, spacy_model_version=model_version or "",
                outputs={name: out_dir / name for name in (*OUTPUT_FILES, "store")
                         if (staging / name).exists() or name == "build.json"},
                cache_hits=hits, cache_misses=misses, timings={k: round(v, 3) for k, v in timings.items()},
            )
            (staging / "build.json").write_text(_manifest(result, documents, settings, fingerprint, staging),
                                                encoding="utf-8")
            _publish(staging, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        cache.prune()
    return result


@dataclass(frozen=True)
class WrittenGraph:
    triples: int
    quads: int


def write_graph_outputs(folder: Path, statements: Sequence[Statement], documents: Sequence[SourceDocument],
                        info, settings: Settings, *, html: bool = True, layout_cache: Path | None = None,
                        timings: dict[str, float] | None = None) -> WrittenGraph:
    """Everything a build writes after resolution, into ``folder``: graph.ttl, graph.trig,
    statements.jsonl, graph.html (with ``html``) and store/. ``timings`` collects seconds per step.

    The quads are made once (pyoxigraph objects, never rdflib: see shared/notes/measured-here.md)
    and every writer and the store read the same list.
    """
    from .graph import statement_quads, write_trig, write_turtle
    from .jsonl import dumps_statements
    from .store import load_quads

    timings = timings if timings is not None else {}

    def timed(step: str, run: Callable[[], object]) -> object:
        mark = time.perf_counter()
        value = run()
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - mark
        return value

    quads = timed("quads", lambda: statement_quads(statements, documents, info, settings.base_iri))
    timed("turtle", lambda: write_turtle(quads, folder / "graph.ttl"))
    timed("trig", lambda: write_trig(quads, folder / "graph.trig"))
    timed("jsonl", lambda: (folder / "statements.jsonl").write_text(
        dumps_statements(statements, settings.base_iri), encoding="utf-8"))
    if html:
        from .views import ViewOptions, write_html

        title = "Knowledge graph of " + ", ".join(d.metadata.title or d.id for d in documents[:3]) + (
            " …" if len(documents) > 3 else "")
        timed("html", lambda: write_html(statements, folder / "graph.html",
                                         ViewOptions(title=title, layout_cache=layout_cache)))
    count = timed("store", lambda: load_quads(folder / "store", quads))
    triples = timed("count", lambda: _distinct_triples(quads))
    return WrittenGraph(triples=triples, quads=int(count))


def _distinct_triples(quads) -> int:
    # the same triple may sit in several graphs (a fact stated by two sources); hashing one
    # Triple is about twice as fast as hashing a tuple of three terms
    return len({q.triple for q in quads})


def _entities(statements: Sequence[Statement]):
    seen = {}
    for s in statements:
        seen.setdefault(s.subject.key, s.subject)
        seen.setdefault(s.object.key, s.object)
    return seen.values()


def build_fingerprint(settings: Settings, source_keys: Sequence[str], failures: Sequence[SourceFailure],
                      html: bool) -> str:
    """Digest of everything a build's outputs depend on: the sources (by their cache keys, which
    cover text, metadata and the extraction pipeline), the whole kg package, the libraries that
    write the outputs, the settings that change them and ``SOURCE_DATE_EPOCH``. Builds are
    deterministic, so the same fingerprint means the same outputs, byte for byte."""
    from importlib.metadata import PackageNotFoundError, version

    from .cache import package_digest
    from .graph import settings_fingerprint

    libraries = {}
    for name in ("pyoxigraph", "spacy", "networkx", "pyvis", "rdflib"):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    parts = {"kg": kg_version(), "package": package_digest(), "libraries": libraries,
             "settings": settings_fingerprint(settings), "html": html, "sources": sorted(source_keys),
             "failures": sorted([f.path, f.message] for f in failures),
             "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _output_stamps(folder: Path, names: Sequence[str]) -> dict[str, list[int]]:
    stamps = {}
    for name in names:
        path = folder / name
        if path.is_file():
            stat = path.stat()
            stamps[name] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def _kept_outputs(out_dir: Path, fingerprint: str) -> BuildResult | None:
    """The previous build's result when it had this fingerprint and its outputs are untouched."""
    from .store import store_exists

    try:
        manifest = json.loads((out_dir / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("build_fingerprint") != fingerprint:
        return None
    stamps = manifest.get("output_stamps") or {}
    if not stamps or _output_stamps(out_dir, list(stamps)) != stamps or not store_exists(out_dir / "store"):
        return None
    try:
        return BuildResult(
            out_dir=out_dir, documents=0, failures=(), entities_by_type=dict(manifest["entities_by_type"]),
            statements_by_predicate=dict(manifest["statements_by_predicate"]), statements=int(manifest["statements"]),
            triples=int(manifest["triples"]), seconds=0.0,
            outputs={name: out_dir / name for name in manifest["outputs"]},
            spacy_model=manifest["spacy_model"], spacy_model_version=manifest["spacy_model_version"])
    except (KeyError, TypeError, ValueError):
        return None


def _manifest(result: BuildResult, documents: Sequence[SourceDocument], settings: Settings, fingerprint: str,
              staging: Path) -> str:
    """The build's own record, wall-clock time included (kept out of the graph files so that
    those stay byte-identical across builds). A rebuild with nothing changed leaves it as is."""
    return json.dumps({
        "build_fingerprint": fingerprint,
        "output_stamps": _output_stamps(staging, [n for n in OUTPUT_FILES if n != "build.json"]),
        "outputs": list(result.outputs),
        "entities_by_type": result.entities_by_type,
        "statements_by_predicate": result.statements_by_predicate,
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
        "cache": {"hits": result.cache_hits, "misses": result.cache_misses},
        "timings": result.timings,
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


__all__ = ["BuildLockedError", "BuildResult", "ExtractionRun", "SourceFailure", "WrittenGraph", "build", "build_lock",
           "extract_all", "extract_documents", "read_sources", "segments", "spacy_model_version",
           "write_graph_outputs", "KGError"]
