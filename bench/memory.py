"""Peak memory of one `kg build` on a generated corpus of SIZE_MB (default 10), whole process tree.

    .venv/bin/python bench/memory.py 10 /tmp/kg-memory

`kg bench --size 10` measures the same among its other figures, but runs several builds; this
runs only the one build the memory target is about.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kg.bench import MemorySampler
from kg.bench_corpus import NameSwapper, generate_corpus, write_corpus
from kg.builder import build
from kg.settings import Settings

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def main(size_mb: float = 10.0, work: Path = Path("/tmp/kg-memory")) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))]
    documents = generate_corpus(texts, size_mb, seed=1, swapper=NameSwapper.from_gazetteer())
    folder = write_corpus(documents, work / "corpus")
    started = time.perf_counter()
    with MemorySampler() as memory:
        result = build([folder], work / "out", Settings(), html=False, use_cache=False)
    return {"characters": sum(len(d.text) for d in documents), "documents": len(documents),
            "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(memory.peak_bytes / 1e6),
            "peak_rss_sum_mb": round(memory.peak_rss_sum_bytes / 1e6), "statements": result.statements, "triples": result.triples}


if __name__ == "__main__":
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/kg-memory")
    print(json.dumps(main(size, target)))
