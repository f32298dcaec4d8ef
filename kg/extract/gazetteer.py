"""Gazetteers of states, people, organizations, events, ideologies, places and agreements.

The entries are data (``kg/extract/data/*.jsonl``, one entry a line); this module only loads,
indexes and answers questions about them: which entries a surface form may name, which state a
capital or demonym stands for, which roles a person held, and the EntityRuler patterns that
find the aliases in text.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ..errors import RuleError
from ..model import ENTITY_TYPES

GAZETTEER_FILES = (
    "states.jsonl",
    "people.jsonl",
    "organizations.jsonl",
    "events.jsonl",
    "ideologies.jsonl",
    "places.jsonl",
    "agreements.jsonl",
)
TITLES_FILE = "titles.json"
SUCCESSION_FILE = "succession.jsonl"
WIKIDATA_FILE = "wikidata.tsv"  # the verified table, copied with its evidence (see data/wikidata.md)
WIKIDATA_KEYMAP_FILE = "wikidata_keymap.tsv"  # table ids that are not our gazetteer keys
SUCCESSION_TYPES = ("renamed", "continuation", "dissolution", "unification", "absorption", "independence",
                    "restoration", "regime-change", "secession")
_QID = re.compile(r"^Q[1-9][0-9]*$")
DATA_DIR = Path(__file__).resolve().parent / "data"

# When one alias names several entries (e.g. "Congo"), the ruler must pick one key; states are
# the usual actors in diplomatic text, so they win, then the other kinds of actor.
TYPE_PREFERENCE = ("State", "Organization", "Person", "Event", "Agreement", "Ideology", "Place")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2013": "-", "\u2014": "-",
                              "\u2010": "-", "\u2011": "-"})
_SPACES = re.compile(r"\s+")
_ACRONYM = re.compile(r"^(?:[A-Z][A-Z.&\-]*[A-Z.]|[A-Z])$")
_POSSESSIVE = re.compile(r"(?:'s|s')$")


@dataclass(frozen=True)
class Role:
    """A position a person held: ``leader`` of a state or party, ``foreign-minister`` of a state..."""

    role: str
    of: str  # gazetteer key of the state or organization
    start: int | None = None
    end: int | None = None

    def held_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class NameChange:
    """A state renamed without becoming another state (Burma -> Myanmar in 1989): one entity."""

    year: int
    former: str
    new: str
    basis: str = ""


@dataclass(frozen=True)
class Succession:
    """One state followed by another (``predecessor`` -> ``successor``) in ``year``; never a merge.

    ``type`` is one of SUCCESSION_TYPES; ``basis`` says what the succession rests on (treaty,
    date, ISO 3166-3 record) so a reader can check it.
    """

    predecessor: str
    successor: str
    year: int | None
    type: str
    basis: str = ""


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    label: str
    type: str  # one of ENTITY_TYPES
    aliases: tuple[str, ...]
    iso_code: str | None = None
    kind: str | None = None  # "capital", "party", "war", "conference", ... (free vocabulary per file)
    capital: str | None = None  # states: key of the capital place
    country: str | None = None  # places and organizations: key of the state they belong to
    actor: str | None = None  # capitals: the state the name stands for when no year says otherwise
    part_of: str | None = None  # organizations: the parent body ("un-security-council" -> "united-nations")
    valid_from: int | None = None
    valid_to: int | None = None
    predecessor: str | None = None
    successor: str | None = None
    year: int | None = None  # events and agreements
    end_year: int | None = None
    roles: tuple[Role, ...] = ()
    wikidata: str | None = None  # Q-id, only from wikidata.tsv
    former_iso_code: str | None = None  # ISO 3166-3 code of a renamed state's old name ("BUMM")
    name_changes: tuple[NameChange, ...] = ()

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    def referenced_keys(self) -> tuple[str, ...]:
        keys = [self.capital, self.country, self.actor, self.part_of, self.predecessor, self.successor]
        keys.extend(role.of for role in self.roles)
        return tuple(k for k in keys if k)


def is_acronym(text: str) -> bool:
    """"DPRK", "U.S.", "CPSU": written in capitals, matched case-sensitively ("UN" is not "un")."""
    letters = sum(ch.isalpha() for ch in text)
    return " " not in text and 1 <= letters <= 6 and bool(_ACRONYM.match(text)) and letters >= 2


def clean_surface(text: str) -> str:
    """Typographic normalisation only: one apostrophe, one hyphen, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


def strip_decoration(text: str) -> str:
    """Drops what is not part of a name: a leading article, a possessive, edge punctuation."""
    text = clean_surface(text).strip(" ,;:!?\"()[]{}")
    last_word = text.rsplit(" ", 1)[-1]
    # a sentence's full stop is not part of a name, an abbreviation's is ("U.S.", "Com.")
    if text.endswith(".") and len(last_word) > 4 and last_word.count(".") == 1:
        text = text[:-1]
    if text.lower().startswith("the "):
        text = text[4:]
    if len(text) > 3:
        text = _POSSESSIVE.sub(lambda m: "" if m.group(0) == "'s" else "s", text)
    return text.strip(" ,;:'\"")


def normalize_surface(text: str) -> str:
    """The lookup form of a surface: acronyms keep their case, everything else is lowercased."""
    text = strip_decoration(text)
    return text if is_acronym(text) else text.lower()


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise RuleError(f"{path.name} line {number} is not valid JSON: {err.msg}",
                            hint="Fix the line; each gazetteer line is one JSON object.") from err
    return rows


def _entry_from_row(row: dict, source: str) -> GazetteerEntry:
    try:
        key, label, type_ = row["key"], row["label"], row["type"]
    except KeyError as err:
        raise RuleError(f"{source}: entry {row!r} lacks field {err.args[0]!r}",
                        hint="Every gazetteer entry needs key, label, type and aliases.") from err
    if type_ not in ENTITY_TYPES:
        raise RuleError(f"{source}: entry {key!r} has unknown type {type_!r}",
                        hint=f"Use one of {', '.join(ENTITY_TYPES)}.")
    roles = tuple(Role(r["role"], r["of"], r.get("from"), r.get("to")) for r in row.get("roles", ()))
    name_changes = tuple(NameChange(c["year"], c["from"], c["to"], c.get("basis", ""))
                         for c in row.get("name_changes", ()))
    aliases = tuple(dict.fromkeys([label, *row.get("aliases", ())]))
    return GazetteerEntry(
        key=key, label=label, type=type_, aliases=aliases, iso_code=row.get("iso_code"), kind=row.get("kind"),
        capital=row.get("capital"), country=row.get("country"), actor=row.get("actor"), part_of=row.get("part_of"),
        valid_from=row.get("valid_from"), valid_to=row.get("valid_to"), predecessor=row.get("predecessor"),
        successor=row.get("successor"), year=row.get("year"), end_year=row.get("end_year"), roles=roles,
        former_iso_code=row.get("former_iso_code"), name_changes=name_changes,
    )


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    titles: tuple[str, ...] = ()
    successions: tuple[Succession, ...] = ()
    _by_key: Mapping[str, GazetteerEntry] = field(default_factory=dict, repr=False, compare=False)
    _by_surface: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _states_by_capital: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _lowercase_surfaces: frozenset[str] = field(default_factory=frozenset, repr=False, compare=False)
    _title_words: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_entries(cls, entries: Iterable[GazetteerEntry], titles: Iterable[str] = (),
                     successions: Iterable[Succession] = ()) -> "Gazetteer":
        entries = tuple(entries)
        successions = tuple(sorted(set(successions), key=lambda s: (s.predecessor, s.year or 0, s.successor)))
        by_key: dict[str, GazetteerEntry] = {}
        for entry in entries:
            if entry.key in by_key:
                raise RuleError(f"gazetteer key {entry.key!r} is defined twice",
                                hint="Keys must be unique across all gazetteer files.")
            by_key[entry.key] = entry
        candidates: dict[str, list[GazetteerEntry]] = {}
        lowercase: set[str] = set()
        for entry in entries:
            for alias in entry.aliases:
                surface = normalize_surface(alias)
                if not surface:
                    continue
                candidates.setdefault(surface, []).append(entry)
                if alias == alias.lower():
                    lowercase.add(surface)
        by_surface = {surface: tuple(dict.fromkeys(e.key for e in sorted(found, key=_preference)))
                      for surface, found in candidates.items()}
        capitals: dict[str, list[str]] = {}
        for entry in entries:
            if entry.type == "State" and entry.capital:
                capitals.setdefault(entry.capital, []).append(entry.key)
        title_words = tuple(sorted({tuple(clean_surface(t).split()) for t in titles}, key=len, reverse=True))
        for succession in successions:
            for key in (succession.predecessor, succession.successor):
                if key not in by_key:
                    raise RuleError(f"{SUCCESSION_FILE}: {succession.predecessor!r} -> {succession.successor!r} "
                                    f"names {key!r}, which no gazetteer entry has",
                                    hint="Use the key of a state in states.jsonl (add the state first).")
            if succession.type not in SUCCESSION_TYPES:
                raise RuleError(f"{SUCCESSION_FILE}: {succession.predecessor!r} -> {succession.successor!r} has "
                                f"unknown type {succession.type!r}", hint=f"Use one of {', '.join(SUCCESSION_TYPES)}.")
        return cls(
            entries=entries, titles=tuple(titles), successions=successions, _by_key=MappingProxyType(by_key),
            _by_surface=MappingProxyType(by_surface),
            _states_by_capital=MappingProxyType({k: tuple(v) for k, v in capitals.items()}),
            _lowercase_surfaces=frozenset(lowercase), _title_words=title_words,
        )

    # -- look-ups -----------------------------------------------------------------------------
    def get(self, key: str) -> GazetteerEntry | None:
        return self._by_key.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def keys_for(self, surface: str) -> tuple[str, ...]:
        """Keys the surface may name, preferred first; tries the form without titles last."""
        text = strip_decoration(surface)
        if not text:
            return ()
        if is_acronym(text) and text in self._by_surface:
            return self._by_surface[text]
        found = self._by_surface.get(text.lower())
        if found:
            return found
        bare = self.strip_titles(text)
        if bare != text:
            return self.keys_for(bare)
        return ()

    def lookup(self, surface: str) -> list[GazetteerEntry]:
        return [self._by_key[key] for key in self.keys_for(surface)]

    def allows_lowercase(self, surface: str) -> bool:
        """Whether a lowercase occurrence still names the entry ("juche" yes, "turkey" no)."""
        return normalize_surface(surface) in self._lowercase_surfaces

    def strip_titles(self, text: str) -> str:
        """'Comrade Kim Il Sung' -> 'Kim Il Sung'; repeated titles ('Comrade General X') too."""
        words = clean_surface(text).split()
        changed = True
        while changed and len(words) > 1:
            changed = False
            for title in self._title_words:
                n = len(title)
                if len(words) > n and [w.lower() for w in words[:n]] == [t.lower() for t in title]:
                    words = words[n:]
                    changed = True
                    break
        return " ".join(words)

    def title_length(self, words: list[str]) -> int:
        """How many leading words are a title (0 when none); the longest title wins."""
        lowered = [w.lower() for w in words]
        for title in self._title_words:
            n = len(title)
            if len(lowered) > n and lowered[:n] == [t.lower() for t in title]:
                return n
        return 0

    # -- actors and roles ---------------------------------------------------------------------
    def actor_for(self, key: str, year: int | None = None) -> str | None:
        """The state an entry stands for when it acts: itself for a state, the state for its
        capital ("Pyongyang" -> north-korea), chosen by year when the capital served several."""
        entry = self._by_key.get(key)
        if entry is None:
            return None
        if entry.type == "State":
            return key
        if entry.type != "Place" or entry.kind != "capital":
            return None
        states = self._states_by_capital.get(key, ())
        default = entry.actor or entry.country
        if year is not None:
            valid = [s for s in states if self._by_key[s].valid_in(year)]
            if default in valid:
                return default
            if valid:
                return sorted(valid)[0]
        return default

    def people_roles(self) -> Mapping[str, tuple[Role, ...]]:
        return MappingProxyType({e.key: e.roles for e in self.entries if e.roles})

    def roles_of(self, person_key: str, year: int | None = None) -> tuple[Role, ...]:
        entry = self._by_key.get(person_key)
        if entry is None:
            return ()
        return tuple(r for r in entry.roles if r.held_in(year))

    def holders_of(self, of_key: str, role: str = "leader", year: int | None = None) -> tuple[str, ...]:
        """People who held ``role`` of a state or organization (in ``year`` when given)."""
        return tuple(e.key for e in self.entries
                     for r in e.roles if r.of == of_key and r.role == role and r.held_in(year))

    def choose(self, keys: Iterable[str], year: int | None) -> str | None:
        """Among candidate keys, the first valid in ``year`` (for names several states used)."""
        keys = list(keys)
        if not keys:
            return None
        if year is not None:
            for key in keys:
                entry = self._by_key.get(key)
                if entry is not None and entry.valid_in(year):
                    return key
        return keys[0]

    # -- identity over time -------------------------------------------------------------------
    def successors_of(self, key: str) -> tuple[Succession, ...]:
        return tuple(s for s in self.successions if s.predecessor == key)

    def predecessors_of(self, key: str) -> tuple[Succession, ...]:
        return tuple(s for s in self.successions if s.successor == key)

    def succession_closure(self, keys: Iterable[str]) -> tuple[Succession, ...]:
        """Every succession reachable from ``keys`` forwards or backwards: the Soviet Union brings
        Russia and the other successor states, Germany brings East and West Germany."""
        seen_keys = set(keys)
        frontier = list(seen_keys)
        found: set[Succession] = set()
        while frontier:
            key = frontier.pop()
            for succession in (*self.successors_of(key), *self.predecessors_of(key)):
                found.add(succession)
                for other in (succession.predecessor, succession.successor):
                    if other not in seen_keys:
                        seen_keys.add(other)
                        frontier.append(other)
        return tuple(s for s in self.successions if s in found)

    def renamed_forms(self, key: str) -> tuple[str, ...]:
        """The same state under its other names, linked by ``renamed`` successions (the Democratic
        Republic of the Congo and Zaire), ``key`` first."""
        forms, frontier = [key], [key]
        while frontier:
            current = frontier.pop()
            for s in self.successions:
                if s.type != "renamed" or current not in (s.predecessor, s.successor):
                    continue
                other = s.successor if s.predecessor == current else s.predecessor
                if other not in forms:
                    forms.append(other)
                    frontier.append(other)
        return tuple(forms)

    def named_in(self, key: str, year: int | None) -> str:
        """The form of a renamed state valid in ``year`` (the DR Congo in 1980 is Zaire)."""
        if year is None or key not in self._by_key:
            return key
        valid = [form for form in self.renamed_forms(key) if self._by_key[form].valid_in(year)]
        if not valid:
            return key

        # the DR Congo's entry has no dates (it has two periods), Zaire's has 1971-1997: the form
        # whose own dated period holds the year is the name of that year
        def span(form: str) -> int:
            entry = self._by_key[form]
            if entry.valid_from is None or entry.valid_to is None:
                return 10_000
            return entry.valid_to - entry.valid_from
        return min(valid, key=lambda form: (span(form), form != key))

    # -- patterns -----------------------------------------------------------------------------
    def patterns(self, tokenize: Callable[[str], list[str]] | None = None) -> list[dict]:
        """EntityRuler patterns: phrase patterns (matched on LOWER) for names, token patterns on
        ORTH for acronyms so that "UN" does not match "un". Decorated aliases ("Comrade Honecker")
        are left to the title trimming unless the bare rest is not itself a name ("Uncle Ho")."""
        tokenize = tokenize or _default_tokenize
        patterns: list[dict] = []
        seen: set[tuple[str, str]] = set()
        for surface, keys in sorted(self._by_surface.items()):
            key = keys[0]
            entry = self._by_key[key]
            for alias in entry.aliases:
                if normalize_surface(alias) != surface:
                    continue
                text = strip_decoration(alias)
                bare = self.strip_titles(text)
                if bare != text and self.keys_for(bare):
                    continue
                for variant in _typographic_variants(text):
                    if (variant, key) in seen:
                        continue
                    seen.add((variant, key))
                    if is_acronym(variant):
                        pattern: str | list[dict] = [{"ORTH": tok} for tok in tokenize(variant)]
                    else:
                        pattern = variant
                    patterns.append({"label": entry.type, "pattern": pattern, "id": key})
        return patterns


def _preference(entry: GazetteerEntry) -> tuple:
    return (TYPE_PREFERENCE.index(entry.type), entry.key)


def _typographic_variants(text: str) -> list[str]:
    """Texts write both straight and curly apostrophes, and both hyphens and dashes."""
    variants = [text]
    if "'" in text:
        variants.append(text.replace("'", "\u2019"))
    if "-" in text:
        variants.append(text.replace("-", "\u2013"))
    return variants


@lru_cache(maxsize=1)
def _blank_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _default_tokenize(text: str) -> list[str]:
    return [t.text for t in _blank_tokenizer()(text)]


def load_gazetteer(data_dir: Path | str | None = None) -> Gazetteer:
    """Loads the gazetteer files from ``data_dir`` (the package data when None)."""
    if data_dir is None:
        return _default_gazetteer()
    return _load(Path(data_dir))


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return _load(DATA_DIR)


@dataclass(frozen=True)
class WikidataRow:
    """One row of the verified table: the table's entity id, the gazetteer key it maps to, the id."""

    entity_id: str
    key: str
    label: str
    type: str
    qid: str
    evidence: str


def _read_tsv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")[:len(columns)]) != columns:
        raise RuleError(f"{path.name} does not start with the header {' '.join(columns)}",
                        hint="Keep the header line; columns are tab-separated.")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < len(columns):
            raise RuleError(f"{path.name} line {number} has {len(cells)} columns, not {len(columns)}",
                            hint="Separate the columns with single tabs.")
        rows.append(dict(zip(columns, cells)))
    return rows


def read_wikidata_table(data_dir: Path | str | None = None) -> tuple[WikidataRow, ...]:
    """The verified Wikidata table with each row's gazetteer key (``wikidata_keymap.tsv`` maps
    the ids that differ). Raises ``RuleError`` for a malformed row or a Q-id that is not one."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    path = data_dir / WIKIDATA_FILE
    if not path.exists():
        return ()
    keymap: dict[str, str] = {}
    if (data_dir / WIKIDATA_KEYMAP_FILE).exists():
        keymap = {r["entity_id"]: r["gazetteer_key"] for r in
                  _read_tsv(data_dir / WIKIDATA_KEYMAP_FILE, ("entity_id", "gazetteer_key", "reason"))}
    rows = []
    for row in _read_tsv(path, ("entity_id", "label", "type", "qid", "evidence")):
        qid = row["qid"].strip()
        if not _QID.match(qid):
            raise RuleError(f"{WIKIDATA_FILE}: {row['entity_id']!r} has {qid!r}, which is not a Wikidata item id",
                            hint="Write the item id as Q followed by its number, e.g. Q15180.")
        entity_id = row["entity_id"].strip()
        rows.append(WikidataRow(entity_id, keymap.get(entity_id, entity_id), row["label"], row["type"], qid,
                                row["evidence"]))
    return tuple(rows)


def _read_successions(path: Path) -> list[Succession]:
    out = []
    for row in _read_jsonl(path):
        try:
            out.append(Succession(row["from"], row["to"], row.get("year"), row["type"], row.get("basis", "")))
        except KeyError as err:
            raise RuleError(f"{path.name}: {row!r} lacks field {err.args[0]!r}",
                            hint="Each succession needs from, to and type (year and basis when known).") from err
    return out


def _load(data_dir: Path) -> Gazetteer:
    entries: list[GazetteerEntry] = []
    for name in GAZETTEER_FILES:
        path = data_dir / name
        if not path.exists():
            continue
        entries.extend(_entry_from_row(row, name) for row in _read_jsonl(path))
    titles: list[str] = []
    titles_path = data_dir / TITLES_FILE
    if titles_path.exists():
        titles = json.loads(titles_path.read_text(encoding="utf-8")).get("titles", [])
    # an id the table gives a key the gazetteer lacks links nothing (tests list such rows)
    qids = {row.key: row.qid for row in read_wikidata_table(data_dir)}
    entries = [replace(e, wikidata=qids[e.key]) if e.key in qids else e for e in entries]
    successions = _read_successions(data_dir / SUCCESSION_FILE) if (data_dir / SUCCESSION_FILE).exists() else []
    return Gazetteer.from_entries(entries, titles, successions)
