"""Claims, conflicts, source diffs and as-of answers as plain records, CSV and terminal tables.

Source text reaches the terminal here, so every string that came from a document passes through
``terminal_safe``: control characters (an ESC in a scraped page would drive the user's
terminal) and bidirectional overrides (which can make a sentence read backwards) are escaped.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from .claims import Attestation, Claim, Conflict
from .claims_compare import Holding, SourceDiff
from .model import Entity
from .textsafe import json_safe, terminal_safe


def safe_json(value: object) -> str:
    """JSON that keeps readable Unicode but escapes what ``json`` leaves raw (C1, bidi controls)."""
    return json_safe(value, indent=2, sort_keys=True)


# --- records (JSON-ready dicts) ------------------------------------------------------------

def entity_record(entity: Entity) -> dict:
    return {"key": entity.key, "label": entity.label, "type": entity.type}


def attestation_record(attestation: Attestation) -> dict:
    s = attestation.statement
    q, ev = s.qualifiers, s.evidence
    return {
        "source": ev.source_id, "genre": attestation.genre, "stance": attestation.stance,
        "polarity": q.polarity, "hedged": q.hedged, "attributed_to": q.attributed_to,
        "year": q.year, "end_year": q.end_year, "time_text": q.time_text, "kind": q.kind, "kind_text": q.kind_text,
        "quantity": q.quantity, "unit": q.unit,
        "sentence": ev.sentence, "char_start": ev.char_start, "char_end": ev.char_end, "rule": ev.rule,
        "confidence": round(s.confidence, 3),
        # as stated, before symmetric parties were put in order
        "subject": s.subject.key, "object": s.object.key,
    }


def claim_record(claim: Claim) -> dict:
    summary = claim.support
    return {
        "subject": entity_record(claim.subject), "predicate": claim.predicate, "object": entity_record(claim.object),
        "support": {"sources": summary.sources, "mentions": summary.mentions,
                    "asserting_sources": summary.asserting_sources, "hedging_sources": summary.hedging_sources,
                    "denying_sources": summary.denying_sources, "denied": summary.denied,
                    "genres": list(summary.genres)},
        "attestations": [attestation_record(a) for a in claim.attestations],
    }


def conflict_record(conflict: Conflict) -> dict:
    return {
        "type": conflict.type, "subject": entity_record(conflict.subject), "predicate": conflict.predicate,
        "object": entity_record(conflict.object), "scope": conflict.scope, "sources": list(conflict.sources),
        "sides": [{"value": side.value, "attestations": [attestation_record(a) for a in side.attestations]}
                  for side in conflict.sides],
    }


def holding_record(holding: Holding) -> dict:
    return {
        "subject": entity_record(holding.subject), "predicate": holding.predicate,
        "object": entity_record(holding.object), "since": holding.since, "until": holding.until,
        "disputed": holding.disputed, "sources": list(holding.sources),
        "attestations": [attestation_record(a) for a in holding.attestations],
    }


def diff_record(result: SourceDiff) -> dict:
    return {
        "source_a": result.source_a, "source_b": result.source_b,
        "only_a": [claim_record(c) for c in result.only_a], "only_b": [claim_record(c) for c in result.only_b],
        "agreed": [claim_record(c) for c in result.agreed],
        "disagreements": [conflict_record(c) for c in result.disagreements],
    }


# --- CSV: one row per attestation, the fact's columns repeated ---------------------------------

ATTESTATION_COLUMNS = ("source", "genre", "stance", "year", "end_year", "time_text", "kind", "kind_text", "quantity",
                       "unit", "attributed_to", "sentence", "char_start", "char_end", "rule", "confidence")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([terminal_safe(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
    return buffer.getvalue()


def _attestation_cells(attestation: Attestation) -> list[object]:
    record = attestation_record(attestation)
    return [record[c] for c in ATTESTATION_COLUMNS]


def _fact_cells(subject: Entity, predicate: str, obj: Entity) -> list[object]:
    return [subject.label, predicate, obj.label, subject.key, obj.key]


_FACT_COLUMNS = ("subject", "predicate", "object", "subject_key", "object_key")


def conflicts_csv(found: Sequence[Conflict]) -> str:
    rows = [[number, c.type, *_fact_cells(c.subject, c.predicate, c.object), c.scope, side.value,
             *_attestation_cells(a)]
            for number, c in enumerate(found, 1) for side in c.sides for a in side.attestations]
    return _csv(("conflict", "type", *_FACT_COLUMNS, "scope", "side", *ATTESTATION_COLUMNS), rows)


def claims_csv(claims: Sequence[Claim]) -> str:
    rows = []
    for c in claims:
        s = c.support
        rows += [[*_fact_cells(c.subject, c.predicate, c.object), s.sources, s.mentions, s.denying_sources,
                  *_attestation_cells(a)] for a in c.attestations]
    return _csv((*_FACT_COLUMNS, "sources", "mentions", "denying_sources", *ATTESTATION_COLUMNS), rows)


def holdings_csv(held: Sequence[Holding]) -> str:
    rows = [[*_fact_cells(h.subject, h.predicate, h.object), h.since, h.until, h.disputed, *_attestation_cells(a)]
            for h in held for a in h.attestations]
    return _csv((*_FACT_COLUMNS, "since", "until", "disputed", *ATTESTATION_COLUMNS), rows)


def diff_csv(result: SourceDiff) -> str:
    rows = []
    for section, claims in (("only_a", result.only_a), ("only_b", result.only_b), ("agreed", result.agreed)):
        rows += [[section, "", *_fact_cells(c.subject, c.predicate, c.object), "", *_attestation_cells(a)]
                 for c in claims for a in c.attestations]
    rows += [["disagree", c.type, *_fact_cells(c.subject, c.predicate, c.object), side.value, *_attestation_cells(a)]
             for c in result.disagreements for side in c.sides for a in side.attestations]
    return _csv(("section", "conflict_type", *_FACT_COLUMNS, "side", *ATTESTATION_COLUMNS), rows)


# --- terminal tables -----------------------------------------------------------------------

def _fact_line(subject: Entity, predicate: str, obj: Entity) -> str:
    return terminal_safe(f"{subject.label} --{predicate}--> {obj.label}")


def _qualifier_text(attestation: Attestation) -> str:
    q = attestation.statement.qualifiers
    parts = []
    if q.year is not None:
        parts.append(f"{q.year}-{q.end_year}" if q.end_year is not None else str(q.year))
    if q.quantity not in (None, ""):
        parts.append(f"{q.quantity} {q.unit or ''}".strip())
    if q.kind:
        parts.append(q.kind)
    if q.kind_text:
        parts.append(f"'{q.kind_text}'")
    if q.attributed_to:
        parts.append(f"according to {q.attributed_to}")
    return ", ".join(parts)


def _evidence_line(attestation: Attestation, indent: str = "    ") -> str:
    qualifiers = _qualifier_text(attestation)
    head = f"{attestation.source_id} [{attestation.genre}] {attestation.stance}"
    if qualifiers:
        head += f" ({qualifiers})"
    return terminal_safe(f"{indent}{head}: \"{attestation.statement.evidence.sentence}\"")


def conflicts_table(found: Sequence[Conflict]) -> str:
    if not found:
        return "No disagreements between sources."
    lines = [f"{len(found)} disagreement(s) between sources", ""]
    for number, c in enumerate(found, 1):
        scope = f" [{terminal_safe(c.scope)}]" if c.scope else ""
        lines.append(f"#{number} {c.type}{scope}: {_fact_line(c.subject, c.predicate, c.object)}")
        for side in c.sides:
            lines.append(f"  {terminal_safe(side.value)}:")
            lines += [_evidence_line(a) for a in side.attestations]
        lines.append("")
    return "\n".join(lines).rstrip()


def _support_text(claim: Claim) -> str:
    s = claim.support
    text = f"{s.sources} source(s), {s.mentions} mention(s)"
    if s.hedging_sources:
        text += f", hedged by {s.hedging_sources}"
    if s.denied:
        text += f", DENIED by {s.denying_sources}"
    return f"{text}; genres: {', '.join(s.genres)}"


def claims_table(claims: Sequence[Claim]) -> str:
    if not claims:
        return "No facts."
    lines = []
    for c in claims:
        lines.append(f"{_fact_line(c.subject, c.predicate, c.object)}  ({terminal_safe(_support_text(c))})")
        lines += [_evidence_line(a) for a in c.attestations]
    return "\n".join(lines)


def holdings_table(held: Sequence[Holding], year: int) -> str:
    if not held:
        return f"Nothing dated in the build held in {year}."
    lines = [f"{len(held)} fact(s) held in {year}", ""]
    for h in held:
        period = f"since {h.since}" + (f" until {h.until}" if h.until is not None else "")
        flag = "  DISPUTED" if h.disputed else ""
        lines.append(f"{_fact_line(h.subject, h.predicate, h.object)}  ({period}; "
                     f"{terminal_safe(', '.join(h.sources))}){flag}")
        lines += [_evidence_line(a) for a in h.attestations]
    return "\n".join(lines)


def diff_table(result: SourceDiff) -> str:
    a, b = terminal_safe(result.source_a), terminal_safe(result.source_b)
    lines = []
    for title, claims in ((f"Only in {a}", result.only_a), (f"Only in {b}", result.only_b),
                          ("In both, agreeing", result.agreed)):
        lines.append(f"{title}: {len(claims)}")
        for c in claims:
            lines.append(f"  {_fact_line(c.subject, c.predicate, c.object)}")
            lines += [_evidence_line(x) for x in c.attestations]
        lines.append("")
    lines.append(f"Disagreements: {len(result.disagreements)}")
    if result.disagreements:
        lines += ["  " + line if line else line for line in conflicts_table(result.disagreements).splitlines()[2:]]
    return "\n".join(lines).rstrip()


__all__ = [
    "attestation_record", "claim_record", "claims_csv", "claims_table", "conflict_record", "conflicts_csv",
    "conflicts_table", "diff_csv", "diff_record", "diff_table", "holding_record", "holdings_csv", "holdings_table",
    "safe_json", "terminal_safe",
]
