#!/usr/bin/env python3
"""Developer tool: run the extraction pass over sources/*.txt and score it against the gold.

    .venv/bin/python scripts/dev_extract.py [--sources sources] [--out /tmp/kg-dev/statements.jsonl]
                                            [--show-errors 40] [--min-confidence 0.5]

Uses the project's own pieces where they exist (kg.ingest.read_source, kg.extract.load_pipeline,
kg.resolve.resolve) and simple stand-ins while they do not, so relation rules can be measured
early. The scorer and the gold live in ../shared (read by this dev tool only, never by kg).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import extract_doc  # noqa: E402
from kg.jsonl import dumps_statements  # noqa: E402
from kg.model import Entity, SourceDocument, Statement  # noqa: E402
from kg.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"


def read(path: Path, root: Path) -> SourceDocument:
    try:
        from kg.ingest import read_source  # type: ignore[attr-defined]
        return read_source(path, root)
    except ImportError:
        text = path.read_text(encoding="utf-8")
        return SourceDocument(id=path.relative_to(root).as_posix(), path=path,
                              sha256=hashlib.sha256(path.read_bytes()).hexdigest(), text=text, original_text=text)


def pipeline(settings: Settings):
    try:
        from kg.extract.pipeline import load_pipeline
        return load_pipeline(settings)
    except ImportError:
        sys.path.insert(0, "/tmp/rel")
        from temp_loader import load  # a developer's stand-in, see the brief
        return load()


def naive_resolve(extractions) -> list[Statement]:
    labels = {}
    for f in ("states.jsonl", "places.jsonl"):
        p = ROOT / "kg/extract/data" / f
        if p.exists():
            for line in p.open(encoding="utf-8"):
                r = json.loads(line)
                labels[r["key"]] = (r["label"], tuple(r.get("aliases", ())))

    def entity(m):
        key = m.key or re.sub(r"[^a-z0-9]+", "-", m.text.lower()).strip("-")
        label, aliases = labels.get(key, (m.text, ()))
        return Entity(key=key, label=label, type=m.type, aliases=tuple(aliases) + (m.text,))

    return [Statement(entity(e.subject), e.predicate, entity(e.object), e.qualifiers, e.confidence, e.evidence)
            for e in extractions]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", default=str(ROOT / "sources"))
    ap.add_argument("--out", default="/tmp/kg-dev/statements.jsonl")
    ap.add_argument("--show-errors", default="40")
    ap.add_argument("--min-confidence", type=float, default=Settings().min_confidence)
    args = ap.parse_args()
    settings = Settings()
    nlp = pipeline(settings)
    root = Path(args.sources)
    extractions = []
    for path in sorted(root.glob("*.txt")):
        source = read(path, root)
        extractions += [e for e in extract_doc(nlp(source.text), source, 0) if e.confidence >= args.min_confidence]
    try:
        from kg.resolve import resolve
        statements = resolve(extractions)
    except ImportError:
        statements = naive_resolve(extractions)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dumps_statements(statements, settings.base_iri), encoding="utf-8")
    print(f"{len(statements)} statements -> {out}")
    return subprocess.call([sys.executable, str(SHARED / "eval/score.py"), "--gold", str(SHARED / "gold"),
                            "--system", str(out), "--show-errors", args.show_errors])


if __name__ == "__main__":
    sys.exit(main())
