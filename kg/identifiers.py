"""Identifiers that connect the graph to the world: ISO 3166 codes, Wikidata ids, and the mapping
file that lists them for every entity of a build.

Where the ids come from: ISO 3166-1 alpha-3 codes of current states and ISO 3166-3 alpha-4 codes
of dissolved ones are in the gazetteer (``kg/extract/data/states.jsonl``, built from pycountry);
Wikidata ids come only from the verified table ``kg/extract/data/wikidata.tsv`` (see
``wikidata.md`` beside it). Nothing here looks an id up on the network or guesses one.

``write_mapping`` is the export edge: ``kg mapping`` (``kg/cli_ids.py``) calls it on a build's
quads; Python callers may hand it statements instead.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import ExportError
from .iris import entity_iri
from .model import Entity, Statement
from .vocab import KG, WIKIDATA_ENTITY_NAMESPACE, entity_class_iri

MAPPING_FORMATS = ("csv", "tsv", "json")
MAPPING_COLUMNS = ("iri", "key", "label", "type", "iso_code", "iso_standard", "former_iso_code", "wikidata",
                   "wikidata_iri")

_QID = re.compile(r"^Q[1-9][0-9]*$")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def wikidata_iri(qid: str) -> str:
    """``Q15180`` -> ``http://www.wikidata.org/entity/Q15180`` (the IRI owl:sameAs points to)."""
    if not _QID.match(qid):
        raise ExportError(f"{qid!r} is not a Wikidata item id.", "Item ids are Q followed by digits, e.g. Q15180.")
    return WIKIDATA_ENTITY_NAMESPACE + qid


def qid_from_iri(iri: str) -> str | None:
    if iri.startswith(WIKIDATA_ENTITY_NAMESPACE) and _QID.match(iri[len(WIKIDATA_ENTITY_NAMESPACE):]):
        return iri[len(WIKIDATA_ENTITY_NAMESPACE):]
    return None


def iso_standard(code: str | None) -> str | None:
    """Which part of ISO 3166 a code is from: three letters 3166-1 (current), four 3166-3 (former)."""
    if not code:
        return None
    if re.fullmatch(r"[A-Z]{3}", code):
        return "ISO 3166-1"
    if re.fullmatch(r"[A-Z]{4}", code):
        return "ISO 3166-3"
    return None


def succession_iri(base: str, predecessor: str, successor: str) -> str:
    """The node of one succession: one per ordered pair of states (the gazetteer has no repeats)."""
    return f"{base}succession/{quote(predecessor, safe='')}--{quote(successor, safe='')}"


def name_change_iri(base: str, key: str, year: int) -> str:
    return f"{base}name-change/{quote(key, safe='')}-{year}"


# -- the mapping file ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MappingRow:
    iri: str
    key: str
    label: str
    type: str
    iso_code: str | None = None
    iso_standard: str | None = None
    former_iso_code: str | None = None
    wikidata: str | None = None
    wikidata_iri: str | None = None


def mapping_rows(statements_or_quads: Iterable, base_iri: str | None = None,
                 linked_only: bool = False) -> list[MappingRow]:
    """One row per entity, sorted by IRI, from a build's quads (its graph: every entity it
    describes, successor states included) or from statements (their subjects and objects)."""
    items = list(statements_or_quads)
    if items and isinstance(items[0], Statement):
        rows = _rows_from_statements(items, base_iri)
    else:
        rows = _rows_from_quads(items)
    if linked_only:
        rows = [r for r in rows if r.iso_code or r.wikidata or r.former_iso_code]
    return sorted(rows, key=lambda r: r.iri)


def _rows_from_statements(statements: Sequence[Statement], base_iri: str | None) -> list[MappingRow]:
    if base_iri is None:
        from .settings import Settings

        base_iri = Settings().base_iri
    variants: dict[str, list[Entity]] = defaultdict(list)
    for s in statements:
        variants[s.subject.key].append(s.subject)
        variants[s.object.key].append(s.object)
    rows = []
    for key, found in variants.items():
        labels = Counter(e.label for e in found)
        types = Counter(e.type for e in found)
        iso = sorted({e.iso_code for e in found if e.iso_code})
        qids = sorted({e.wikidata for e in found if e.wikidata})
        rows.append(MappingRow(
            iri=entity_iri(base_iri, key), key=key, label=min(labels, key=lambda v: (-labels[v], v)),
            type=min(types, key=lambda v: (-types[v], v)), iso_code=iso[0] if iso else None,
            iso_standard=iso_standard(iso[0]) if iso else None, wikidata=qids[0] if qids else None,
            wikidata_iri=wikidata_iri(qids[0]) if qids else None))
    return rows


def _rows_from_quads(quads: Sequence) -> list[MappingRow]:
    entity_class, iso_property, former_property = str(KG.Entity), str(KG.isoCode), str(KG.formerIsoCode)
    type_names = {str(entity_class_iri(name)): name for name in
                  ("State", "Person", "Organization", "Place", "Event", "Agreement", "Ideology")}
    described: dict[str, dict[str, object]] = defaultdict(dict)
    entities: set[str] = set()
    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        if not hasattr(subject, "value"):
            continue
        iri = subject.value
        if predicate == _RDF_TYPE:
            if obj.value == entity_class:
                entities.add(iri)
            elif obj.value in type_names:
                described[iri]["type"] = type_names[obj.value]
        elif predicate == _RDFS_LABEL:
            described[iri]["label"] = obj.value
        elif predicate == iso_property:
            described[iri]["iso_code"] = obj.value
        elif predicate == former_property:
            described[iri]["former_iso_code"] = obj.value
        elif predicate == _OWL_SAME_AS and (qid := qid_from_iri(obj.value)):
            described[iri]["wikidata"] = qid
    rows = []
    for iri in entities:
        d = described[iri]
        qid = d.get("wikidata")
        iso = d.get("iso_code")
        rows.append(MappingRow(iri=iri, key=iri.rsplit("/", 1)[-1], label=str(d.get("label", "")),
                               type=str(d.get("type", "")), iso_code=iso, iso_standard=iso_standard(iso),
                               former_iso_code=d.get("former_iso_code"), wikidata=qid,
                               wikidata_iri=wikidata_iri(qid) if qid else None))
    return rows


def format_mapping(rows: Sequence[MappingRow], fmt: str = "csv") -> str:
    """The rows as CSV or TSV (header, empty cells for missing ids) or a JSON array of objects."""
    if fmt not in MAPPING_FORMATS:
        raise ExportError(f"Unknown mapping format {fmt!r}.", f"Use one of: {', '.join(MAPPING_FORMATS)}.")
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(MAPPING_COLUMNS)
    for row in rows:
        values = asdict(row)
        # a tab or newline inside a label would break a TSV row; labels never need them
        writer.writerow(["" if values[c] is None else str(values[c]).replace("\t", " ").replace("\n", " ")
                         for c in MAPPING_COLUMNS])
    return buffer.getvalue()


def write_mapping(statements_or_quads: Iterable, path: str | Path, fmt: str = "csv", base_iri: str | None = None,
                  linked_only: bool = False) -> int:
    """Write the entity -> ISO code / Wikidata id mapping to ``path``; returns the number of rows.

    The file is written whole or not at all (a temporary file renamed into place). Raises
    ``ExportError`` for an unknown format or a folder that cannot be written.
    """
    rows = mapping_rows(statements_or_quads, base_iri, linked_only)
    text = format_mapping(rows, fmt)
    from .graph.writers import atomic_write

    atomic_write(Path(path), lambda fh: fh.write(text.encode("utf-8")))
    return len(rows)


__all__ = ["MAPPING_COLUMNS", "MAPPING_FORMATS", "MappingRow", "format_mapping", "iso_standard", "mapping_rows",
           "name_change_iri", "qid_from_iri", "succession_iri", "wikidata_iri", "write_mapping"]
