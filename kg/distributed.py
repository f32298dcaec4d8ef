"""Spreading the extraction pass: in this process, over local worker processes, or on a Dask cluster.

The unit of work is a *chunk*: a few text segments (each with the source it comes from, minus
the texts the rules never read) small enough to balance the load, large enough for spaCy to
batch well. A worker parses its chunk with ``nlp.pipe`` and runs the rules right there, so only
the small ``Extraction`` lists travel back, never parsed Docs. Every worker loads the pipeline
once and keeps it (``worker_pipeline``). Results are merged by segment position, so the output
does not depend on which worker finished first: a local build, a pool build and a Dask build
give the same extractions in the same order.
"""
from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace

from .errors import ClusterError, KGError
from .model import Extraction, SourceDocument
from .settings import Settings

# characters of text per chunk: about two seconds of parsing per process with the small model,
# so the last chunks finish close together, and dozens of segments for spaCy to batch
CHUNK_CHARS = 40_000
# chunks handed out ahead of the workers per worker: keeps them busy without holding the corpus
AHEAD_PER_WORKER = 3



@dataclass(frozen=True)
class Segment:
    """One piece of one source to parse: ``source.text[start:end]`` is ``text``."""

    doc_index: int
    start: int
    text: str
    source: SourceDocument  # texts emptied: the rules read ids, offsets and metadata only


@dataclass(frozen=True)
class SegmentResult:
    doc_index: int
    start: int
    extractions: tuple[Extraction, ...]


ChunkRunner = Callable[[Settings, Sequence[Segment]], list[SegmentResult]]


def light_source(source: SourceDocument) -> SourceDocument:
    """``source`` without its texts (a segment carries its own text), to keep what travels small."""
    return replace(source, text="", original_text="")


def segment_stream(documents: Iterable[tuple[int, SourceDocument]],
                   cut: Callable[[str], list[tuple[int, int]]]) -> Iterator[Segment]:
    for doc_index, source in documents:
        light = light_source(source)
        for start, end in cut(source.text):
            yield Segment(doc_index, start, source.text[start:end], light)


def chunked(segments: Iterable[Segment], chunk_chars: int = CHUNK_CHARS) -> Iterator[list[Segment]]:
    """Consecutive segments grouped up to ``chunk_chars`` characters (a longer segment goes alone)."""
    chunk: list[Segment] = []
    size = 0
    for segment in segments:
        if chunk and size + len(segment.text) > chunk_chars:
            yield chunk
            chunk, size = [], 0
        chunk.append(segment)
        size += len(segment.text)
    if chunk:
        yield chunk


# --- the worker side ----------------------------------------------------------------------------

_PIPELINES: dict[str, object] = {}
_PIPELINE_LOCK = threading.Lock()


def worker_pipeline(settings: Settings):
    """The pipeline for ``settings.model``, loaded once per process and kept."""
    nlp = _PIPELINES.get(settings.model)
    if nlp is None:
        from .extract.pipeline import load_pipeline

        with _PIPELINE_LOCK:
            nlp = _PIPELINES.get(settings.model)
            if nlp is None:
                nlp = _PIPELINES[settings.model] = load_pipeline(settings)
    return nlp


def keep_pipeline(settings: Settings, nlp) -> None:
    """Make ``nlp`` the pipeline this process (and processes forked from it) use for ``settings``."""
    _PIPELINES[settings.model] = nlp


def extract_chunk(settings: Settings, chunk: Sequence[Segment]) -> list[SegmentResult]:
    """Parse and extract one chunk (runs in a worker: a local process, a Dask worker, or here)."""
    from .extract import extract_doc

    nlp = worker_pipeline(settings)
    stream = ((segment.text, segment) for segment in chunk)
    results = []
    # a pipeline is not made to be used by two threads at once (Dask workers may run several)
    with _PIPELINE_LOCK:
        for doc, segment in nlp.pipe(stream, as_tuples=True, batch_size=settings.batch_size):
            found = extract_doc(doc, segment.source, segment.start)
            results.append(SegmentResult(segment.doc_index, segment.start, tuple(found)))
    return results


# --- the driver side ----------------------------------------------------------------------------

def run_in_process(settings: Settings, chunks: Iterable[Sequence[Segment]]) -> Iterator[list[SegmentResult]]:
    for chunk in chunks:
        yield extract_chunk(settings, chunk)


def _pool_context():
    # fork shares the loaded model with the workers copy-on-write (no second load, no pickling);
    # where fork is missing, each worker loads the model once in its initializer
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _init_worker(settings: Settings) -> None:
    worker_pipeline(settings)


def run_on_pool(settings: Settings, chunks: Iterable[Sequence[Segment]], processes: int
                ) -> Iterator[list[SegmentResult]]:
    """Results of ``chunks`` from ``processes`` local worker processes, as they finish.

    At most a few chunks per worker are in flight, so the corpus is never all in memory twice.
    """
    context = _pool_context()
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_init_worker,
                             initargs=(settings,)) as pool:
        pending = set()
        iterator = iter(chunks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < processes * AHEAD_PER_WORKER:
                chunk = next(iterator, None)
                if chunk is None:
                    exhausted = True
                    break
                pending.add(pool.submit(extract_chunk, settings, chunk))
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def run_on_dask(settings: Settings, chunks: Iterable[Sequence[Segment]], address: str,
                timeout_s: float = 30.0) -> Iterator[list[SegmentResult]]:
    """Results of ``chunks`` from the Dask cluster at ``address``, as they finish.

    Each worker loads the pipeline once (``worker_pipeline`` keeps it in the worker process).
    """
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise ClusterError("Dask distributed is not installed, so --dask cannot be used.") from exc
    try:
        client = Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"Cannot reach the Dask scheduler at {address!r}: {exc}.") from exc
    try:
        if not client.scheduler_info().get("workers"):
            try:
                client.wait_for_workers(1, timeout=timeout_s)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(f"The Dask cluster at {address!r} has no workers.",
                                   "Start at least one `dask worker` for it.") from exc
        iterator = iter(chunks)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        first = []
        for chunk in iterator:
            first.append(client.submit(extract_chunk, settings, list(chunk), pure=False))
            if len(first) >= workers * AHEAD_PER_WORKER:
                break
        if not first:
            return
        futures = as_completed(first, loop=client.loop)
        for future in futures:
            try:
                yield future.result()
            except KGError:
                raise
            except Exception as exc:  # noqa: BLE001 - any worker failure becomes one clear error
                raise ClusterError(f"A Dask worker failed while extracting: {type(exc).__name__}: {exc}.") from exc
            finally:
                future.release()
            chunk = next(iterator, None)
            if chunk is not None:
                futures.add(client.submit(extract_chunk, settings, list(chunk), pure=False))
    finally:
        client.close()


__all__ = ["CHUNK_CHARS", "ClusterError", "Segment", "SegmentResult", "chunked", "extract_chunk", "keep_pipeline",
           "light_source", "run_in_process", "run_on_dask", "run_on_pool", "segment_stream", "worker_pipeline"]
