"""The extraction cache: what the rules found in each source, kept between builds.

Parsing is the expensive step of a build; resolution and graph writing are cheap and always run
on every statement. So a rebuild reads each unchanged source's extractions from
``OUT/.cache/extractions/`` instead of parsing it again.

An entry's key is a digest of the source (id, file hash, cleaned text, metadata) and of the
*pipeline fingerprint*: kg version, spaCy version, model name and version, and a digest of every
rule, gazetteer and lexicon file and of the extraction code. Change any of them and every entry
misses; nothing is ever served stale. Entries are JSON (a tampered output folder can at worst
give wrong facts, never run code) written atomically, and a damaged entry is just a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple
from functools import lru_cache
from pathlib import Path

from .model import Evidence, Extraction, Mention, Qualifiers, SourceDocument
from .settings import Settings

CACHE_DIRNAME = ".cache"
EXTRACTIONS_DIRNAME = "extractions"
# bump when the entry layout below changes
CACHE_FORMAT = 1

_PACKAGE_DIR = Path(__file__).resolve().parent
# what decides which facts a parsed text yields: the extraction package (code and data) and the
# core types the facts are made of
_FINGERPRINTED = (("extract", ("*.py", "*.json", "*.jsonl", "*.tsv", "*.txt")), ("", ("model.py",)))


# everything that shapes a build's outputs: code, rules, gazetteers, queries, ontology, view templates
_WHOLE_PACKAGE = (("", ("**/*.py", "**/*.json", "**/*.jsonl", "**/*.tsv", "**/*.txt", "**/*.rq", "**/*.ttl",
                        "**/*.html", "**/*.js", "**/*.css")),)


def _fingerprinted_files(package_dir: Path, selection=_FINGERPRINTED) -> list[Path]:
    found: set[Path] = set()
    for sub, patterns in selection:
        folder = package_dir / sub if sub else package_dir
        for pattern in patterns:
            found.update(p for p in (folder.rglob(pattern) if sub else folder.glob(pattern))
                         if "__pycache__" not in p.parts and p.is_file())
    return sorted(found)


@lru_cache(maxsize=8)
def _files_digest(package_dir: Path, signature: tuple[tuple[str, int, int], ...]) -> str:
    # ``signature`` (name, size, mtime) only keys the memo: an edited rule file gets a new digest
    digest = hashlib.sha256()
    for name, _size, _mtime in signature:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((package_dir / name).read_bytes()).digest())
    return digest.hexdigest()


def rules_digest(package_dir: Path | None = None) -> str:
    """Digest of the extraction code and its rule, gazetteer and lexicon files."""
    root = (package_dir or _PACKAGE_DIR).resolve()
    return _digest_of(_fingerprinted_files(root), root)


def package_digest(package_dir: Path | None = None) -> str:
    """Digest of every file of the kg package that can change a build's outputs."""
    root = (package_dir or _PACKAGE_DIR).resolve()
    return _digest_of(_fingerprinted_files(root, _WHOLE_PACKAGE), root)


def _digest_of(files: list[Path], package_dir: Path) -> str:
    signature = []
    for path in files:
        stat = path.stat()
        signature.append((path.relative_to(package_dir).as_posix(), stat.st_size, stat.st_mtime_ns))
    return _files_digest(package_dir, tuple(signature))


def pipeline_fingerprint(settings: Settings, model_version: str | None, kg_version: str,
                         package_dir: Path | None = None) -> str:
    """Digest of everything besides the source that decides its extractions.

    Batch size and processes are left out: they change speed, not output. So is
    ``min_confidence``: entries hold every extraction and the build filters after reading them.
    """
    import spacy

    parts = {"format": CACHE_FORMAT, "kg": kg_version, "spacy": spacy.__version__, "model": settings.model,
             "model_version": model_version or "", "rules": rules_digest(package_dir)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def source_key(source: SourceDocument, fingerprint: str) -> str:
    """The cache key of one source under one pipeline."""
    digest = hashlib.sha256()
    for part in (fingerprint, source.id, source.sha256, source.media_type,
                 json.dumps(asdict(source.metadata), sort_keys=True)):
        digest.update(part.encode("utf-8") + b"\0")
    # the cleaned text and its offset map, not only the file: ingest rules may change them
    digest.update(source.text.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(repr((source.offset_map.clean, source.offset_map.original)).encode("ascii"))
    return digest.hexdigest()


# --- entry codec ------------------------------------------------------------------------------

def encode_extractions(extractions: Sequence[Extraction]) -> list[list]:
    """Extractions as plain JSON arrays (field order of ``kg.model``)."""
    return [[list(astuple(e.subject)), e.predicate, list(astuple(e.object)), list(astuple(e.qualifiers)),
             e.confidence, list(astuple(e.evidence))] for e in extractions]


def decode_extractions(rows: Iterable[list]) -> list[Extraction]:
    return [Extraction(subject=Mention(*s), predicate=p, object=Mention(*o), qualifiers=Qualifiers(*q),
                       confidence=c, evidence=Evidence(*ev)) for s, p, o, q, c, ev in rows]


class ExtractionCache:
    """Per-source extraction lists under ``folder`` (normally ``OUT/.cache/extractions``)."""

    def __init__(self, folder: Path, fingerprint: str, read: bool = True):
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.read = read  # False: every look-up misses (a forced full parse), entries are rewritten
        self.used: set[str] = set()

    @classmethod
    def for_output(cls, out_dir: Path, fingerprint: str, read: bool = True) -> ExtractionCache:
        return cls(Path(out_dir) / CACHE_DIRNAME / EXTRACTIONS_DIRNAME, fingerprint, read)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def key(self, source: SourceDocument) -> str:
        return source_key(source, self.fingerprint)

    def get(self, source: SourceDocument) -> list[Extraction] | None:
        """The cached extractions of ``source``, or None on a miss (absent or unreadable entry)."""
        key = self.key(source)
        self.used.add(key)
        if not self.read:
            return None
        try:
            payload = json.loads(self._path(key).read_bytes())
            if payload.get("key") != key:
                return None
            return decode_extractions(payload["extractions"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, source: SourceDocument, extractions: Sequence[Extraction]) -> None:
        """Store ``extractions`` (every one, before any confidence filter) for ``source``.

        A cache that cannot be written (full disk, read-only folder) only costs speed next
        time, so failures are swallowed.
        """
        key = self.key(source)
        self.used.add(key)
        path = self._path(key)
        data = json.dumps({"key": key, "source": source.id, "extractions": encode_extractions(extractions)},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass

    def prune(self) -> int:
        """Delete the entries this build did not use (so the cache holds one build's sources);
        returns how many were removed."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob("*/*"):
            stale = path.name.endswith(".tmp") or (path.suffix == ".json" and path.stem not in self.used)
            if stale:
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed


__all__ = ["CACHE_DIRNAME", "ExtractionCache", "decode_extractions", "encode_extractions",
           "package_digest", "pipeline_fingerprint", "rules_digest", "source_key"]
