"""A benchmark corpus of any size, made from real source texts so the parser sees real prose.

Documents are drawn paragraph by paragraph (seeded RNG) from the given texts, and the names of
states and people the gazetteer knows are swapped for other states and people, consistently
within a document. So no two documents are the same text (no cache, of ours or anyone's, can
help), while sentence shapes, entity density and vocabulary stay those of the sources.
"""
from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DOC_CHARS = 10_000  # one benchmark document: about a page and a half
MIN_PARAGRAPH_CHARS = 80  # headings and page furniture are not prose


@dataclass(frozen=True)
class CorpusDocument:
    name: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def paragraphs(text: str) -> list[str]:
    """The prose paragraphs of ``text`` (blank-line separated, short lines dropped)."""
    found = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return [p for p in found if len(p) >= MIN_PARAGRAPH_CHARS]


@dataclass(frozen=True)
class NameSwapper:
    """Finds the gazetteer's state and person names in text and replaces them with others of the same type."""

    pattern: re.Pattern
    type_of: dict[str, str]  # surface -> entity type
    labels_by_type: dict[str, tuple[str, ...]]

    @classmethod
    def from_gazetteer(cls, gazetteer=None) -> NameSwapper:
        if gazetteer is None:
            from .extract.gazetteer import load_gazetteer

            gazetteer = load_gazetteer()
        type_of: dict[str, str] = {}
        labels: dict[str, set[str]] = {}
        for entry in gazetteer.entries:
            if entry.type not in ("State", "Person"):
                continue
            labels.setdefault(entry.type, set()).add(entry.label)
            for alias in (entry.label, *entry.aliases):
                # capitalised names only: lower-case aliases and short acronyms are too ambiguous to swap
                if len(alias) >= 4 and alias[:1].isupper() and alias not in type_of:
                    type_of[alias] = entry.type
        surfaces = sorted(type_of, key=lambda s: (-len(s), s))
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in surfaces) + r")\b") if surfaces else re.compile(r"(?!)")
        return cls(pattern, type_of, {t: tuple(sorted(v)) for t, v in labels.items()})

    def swap(self, text: str, rng: random.Random, mapping: dict[str, str]) -> str:
        """``text`` with each known name replaced; ``mapping`` keeps the choices of one document."""
        def replace(match: re.Match) -> str:
            surface = match.group(0)
            if surface not in mapping:
                choices = self.labels_by_type.get(self.type_of[surface], ())
                mapping[surface] = rng.choice(choices) if choices else surface
            return mapping[surface]

        return self.pattern.sub(replace, text)


def generate_document(pool: Sequence[str], rng: random.Random, swapper: NameSwapper | None,
                      doc_chars: int = DOC_CHARS) -> str:
    """One document of about ``doc_chars`` characters drawn from the paragraph ``pool``."""
    chosen: list[str] = []
    size = 0
    mapping: dict[str, str] = {}
    while size < doc_chars:
        paragraph = rng.choice(pool)
        if swapper is not None:
            paragraph = swapper.swap(paragraph, rng, mapping)
        chosen.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(chosen) + "\n"


def generate_corpus(texts: Sequence[str], size_mb: float, seed: int = 0, swapper: NameSwapper | None = None,
                    doc_chars: int = DOC_CHARS) -> list[CorpusDocument]:
    """About ``size_mb`` million characters of documents, the same for the same inputs and seed."""
    pool = [p for text in texts for p in paragraphs(text)]
    if not pool:
        from .errors import NoSourcesError

        raise NoSourcesError("The benchmark found no prose paragraphs in its source texts.",
                             "Point --sources at a folder of text documents (e.g. sources/).")
    count = max(1, round(size_mb * 1_000_000 / doc_chars))
    width = len(str(count))
    rng = random.Random(seed)
    return [CorpusDocument(f"bench-{i:0{width}d}.txt", generate_document(pool, rng, swapper, doc_chars))
            for i in range(count)]


def write_corpus(documents: Sequence[CorpusDocument], folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for document in documents:
        (folder / document.name).write_text(document.text, encoding="utf-8")
    return folder


__all__ = ["CorpusDocument", "DOC_CHARS", "NameSwapper", "generate_corpus", "generate_document", "paragraphs",
           "write_corpus"]
