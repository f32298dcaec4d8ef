"""``statements.jsonl``: one JSON object per fact, the contract ``shared/eval/score.py`` reads.

Also read back into ``Statement`` values, so views and analytics can work from a build's
output folder without the store.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .iris import entity_iri, key_from_entity_iri
from .model import Entity, Evidence, Qualifiers, Resolution, Statement


def statement_to_record(statement: Statement, base_iri: str) -> dict:
    s, o, q, ev = statement.subject, statement.object, statement.qualifiers, statement.evidence
    return {
        "doc": ev.source_id,
        "predicate": statement.predicate,
        "subject": entity_iri(base_iri, s.key),
        "subject_label": s.label,
        "subject_aliases": list(s.aliases),
        "subject_type": s.type,
        "object": entity_iri(base_iri, o.key),
        "object_label": o.label,
        "object_aliases": list(o.aliases),
        "object_type": o.type,
        "year": q.year,
        "end_year": q.end_year,
        "time_text": q.time_text,
        "kind": q.kind,
        "kind_text": q.kind_text,
        "quantity": q.quantity,
        "unit": q.unit,
        "polarity": q.polarity,
        "hedged": q.hedged,
        "attributed_to": q.attributed_to,
        "evidence": ev.sentence,
        "char_start": ev.char_start,
        "char_end": ev.char_end,
        "confidence": round(statement.confidence, 3),
        "rule": ev.rule,
        "subject_iso": s.iso_code,
        "object_iso": o.iso_code,
        "subject_wikidata": s.wikidata,
        "object_wikidata": o.wikidata,
        # how time- or context-dependent names ("Germany" in 1977) were read (kg.timescope)
        "resolutions": [{"role": r.role, "surface": r.surface, "key": r.key, "rule": r.rule, "note": r.note}
                        for r in statement.resolutions],
    }


def record_to_statement(record: dict, base_iri: str) -> Statement:
    def entity(side: str) -> Entity:
        iri = record[side]
        return Entity(
            key=key_from_entity_iri(base_iri, iri) or iri,
            label=record[f"{side}_label"],
            type=record[f"{side}_type"],
            aliases=tuple(record.get(f"{side}_aliases") or ()),
            iso_code=record.get(f"{side}_iso"),
            wikidata=record.get(f"{side}_wikidata"),
        )

    return Statement(
        subject=entity("subject"),
        predicate=record["predicate"],
        object=entity("object"),
        qualifiers=Qualifiers(
            year=record.get("year"), end_year=record.get("end_year"), time_text=record.get("time_text"),
            kind=record.get("kind"), kind_text=record.get("kind_text"), quantity=record.get("quantity"),
            unit=record.get("unit"), polarity=record.get("polarity", "affirmed"),
            hedged=bool(record.get("hedged")), attributed_to=record.get("attributed_to"),
        ),
        confidence=float(record.get("confidence", 1.0)),
        evidence=Evidence(
            source_id=record["doc"], char_start=int(record["char_start"]), char_end=int(record["char_end"]),
            sentence=record.get("evidence", ""), rule=record.get("rule", ""),
        ),
        resolutions=tuple(Resolution(r["role"], r["surface"], r["key"], r["rule"], r["note"])
                          for r in record.get("resolutions") or ()),
    )


def dumps_statements(statements: Iterable[Statement], base_iri: str) -> str:
    """Serialise in the given order, one compact sorted-key object per line (deterministic)."""
    return "".join(
        json.dumps(statement_to_record(s, base_iri), ensure_ascii=False, sort_keys=True) + "\n"
        for s in statements
    )


def read_statements(path: Path, base_iri: str) -> Iterator[Statement]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield record_to_statement(json.loads(line), base_iri)
