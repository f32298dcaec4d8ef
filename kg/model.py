"""Core values that flow through the pipeline: ingest -> extract -> resolve -> graph.

All are frozen dataclasses: a fact never changes after it is made, and every fact carries the
evidence that leads back to the sentence that says it.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

GENRES = ("scholarly", "archival", "polemic", "news", "other")
POLARITIES = ("affirmed", "negated")
ENTITY_TYPES = ("State", "Person", "Organization", "Place", "Event", "Agreement", "Ideology")


@dataclass(frozen=True)
class SourceMetadata:
    """What a sidecar file (or the defaults) says about a source."""

    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 date or year as written in the sidecar ("1977-03-21", "1977")
    genre: str = "other"  # one of GENRES
    language: str = "en"

    @property
    def year(self) -> int | None:
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4])
        return None


@dataclass(frozen=True)
class OffsetMap:
    """Maps character offsets in cleaned text back to offsets in the original file's text.

    Stored as sorted anchor points: cleaned offset ``clean[i]`` corresponds to original offset
    ``original[i]``, and offsets between two anchors advance one for one from the earlier anchor.
    Cleaning only deletes or replaces characters, so the mapping is monotonic.
    """

    clean: tuple[int, ...] = (0,)
    original: tuple[int, ...] = (0,)

    def to_original(self, offset: int) -> int:
        i = bisect.bisect_right(self.clean, offset) - 1
        if i < 0:
            return offset
        return self.original[i] + (offset - self.clean[i])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """An (end-exclusive) span of cleaned text as a span of the original text."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass(frozen=True)
class SourceDocument:
    """One source file after ingest: stable id, content hash, cleaned text and its offset map."""

    id: str  # path relative to the sources root, with forward slashes
    path: Path
    sha256: str  # of the file's bytes
    text: str  # cleaned text that the extraction reads
    original_text: str  # the file's text as decoded (PDF/HTML: the extracted text)
    offset_map: OffsetMap = field(default_factory=OffsetMap)
    metadata: SourceMetadata = field(default_factory=SourceMetadata)
    media_type: str = "text/plain"


@dataclass(frozen=True)
class Mention:
    """A span of cleaned source text naming an entity."""

    text: str
    start: int  # character offsets into SourceDocument.text, end exclusive
    end: int
    type: str  # one of ENTITY_TYPES
    key: str | None = None  # gazetteer id when the mention was recognised from a gazetteer


@dataclass(frozen=True)
class Entity:
    """A canonical entity: what mentions resolve to."""

    key: str  # stable lowercase hyphenated id ("north-korea", "kim-il-sung"): the IRI's last part
    label: str
    type: str  # one of ENTITY_TYPES
    aliases: tuple[str, ...] = ()
    iso_code: str | None = None  # ISO 3166-1 alpha-3, or ISO 3166-3 alpha-4 for dissolved states
    wikidata: str | None = None  # Q-id, only from the verified table


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: the sentence, its place in the original file, the rule."""

    source_id: str
    char_start: int  # offsets into the original file text, end exclusive
    char_end: int
    sentence: str
    rule: str


@dataclass(frozen=True)
class Qualifiers:
    """Everything about a fact beyond subject, predicate and object."""

    year: int | None = None
    end_year: int | None = None
    time_text: str | None = None
    kind: str | None = None
    kind_text: str | None = None
    quantity: str | None = None  # as a plain decimal string: "2220", "1000", "50"
    unit: str | None = None
    polarity: str = "affirmed"  # one of POLARITIES
    hedged: bool = False
    attributed_to: str | None = None  # label of whoever the text says claims the fact


@dataclass(frozen=True)
class Extraction:
    """A fact as the extraction pass finds it: between mentions, not yet resolved."""

    subject: Mention
    predicate: str  # local name of an ontology property ("providedAid")
    object: Mention
    qualifiers: Qualifiers
    confidence: float
    evidence: Evidence


@dataclass(frozen=True)
class Resolution:
    """How resolution read a name whose entity depends on time or context ("Germany" in a 1977
    text about the GDR), so that the reading can be seen and overruled."""

    role: str  # "subject" or "object"
    surface: str  # the name as the text wrote it
    key: str  # the entity it was read as
    rule: str  # "time-scope/context", "time-scope/unclear", ... (kg.timescope)
    note: str  # the reason, in words


@dataclass(frozen=True)
class Statement:
    """A resolved fact between canonical entities: one statement node in the graph."""

    subject: Entity
    predicate: str
    object: Entity
    qualifiers: Qualifiers
    confidence: float
    evidence: Evidence
    resolutions: tuple[Resolution, ...] = ()  # ambiguous names of subject/object and how they were read

    @property
    def truthy(self) -> bool:
        """Whether the fact also becomes a plain ``subject predicate object`` triple."""
        return self.qualifiers.polarity == "affirmed" and not self.qualifiers.hedged
