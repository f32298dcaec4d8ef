"""Statements, sources and a build -> an RDF dataset (a list of pyoxigraph quads).

Graph model (terms from ``ontology/kg.ttl``):

* default graph: the build node, one node per source, one description per entity;
* one named graph per source (``kg.iris.graph_iri``) holding, for each fact the source states,
  a ``kg:Statement`` node (``rdf:subject``/``rdf:predicate``/``rdf:object`` and qualifiers)
  derived from a ``kg:Evidence`` node (offsets, sentence, rule), plus a plain
  ``subject relation object`` triple when the source affirms the fact without hedging.
* identity over time (default graph): for the states the statements name, every succession the
  gazetteer records that reaches them (``kg:successor``/``kg:predecessor`` plus a
  ``kg:Succession`` node with year, type and basis), the states at the other end (described
  like any entity, so a chain can be followed), and renamings (``kg:NameChange``). These are
  reference data, not facts read from a source.
* disagreements (default graph): where the sources contradict each other, derived from every
  source's statements by the rules of ``kg claims`` (``kg.graph.disagreements``).

Quads are made with pyoxigraph objects directly (rdflib is far too slow at a million triples,
see shared/notes/measured-here.md), with no blank nodes and in a fixed order, so the same input
gives the same output byte for byte however the statements arrive.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from ..claims import ClaimRules
from ..errors import OntologyError
from ..extract.gazetteer import Gazetteer, GazetteerEntry, Succession, load_gazetteer
from ..identifiers import name_change_iri, succession_iri
from ..iris import build_iri, entity_iri, evidence_iri, graph_iri, source_iri, statement_iri
from ..model import POLARITIES, Entity, SourceDocument, Statement
from ..settings import Settings
from ..vocab import (
    DCTERMS_NAMESPACE, KG, PROV_NAMESPACE, SKOS_NAMESPACE, WIKIDATA_ENTITY_NAMESPACE, XSD_NAMESPACE,
    entity_class_iri, relation_iri,
)
from .disagreements import disagreement_quads

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"


def _node(iri: str) -> NamedNode:
    return NamedNode(str(iri))


# Predicates and datatypes, made once: a million-triple build makes a million quads with them.
RDF_TYPE = _node(_RDF + "type")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = (_node(_RDF + p) for p in ("subject", "predicate", "object"))
RDFS_LABEL = _node(_RDFS + "label")
OWL_SAME_AS = _node(_OWL + "sameAs")
SKOS_PREF_LABEL, SKOS_ALT_LABEL = _node(SKOS_NAMESPACE + "prefLabel"), _node(SKOS_NAMESPACE + "altLabel")
SKOS_HIDDEN_LABEL = _node(SKOS_NAMESPACE + "hiddenLabel")
SKOS_NOTE = _node(SKOS_NAMESPACE + "note")
PROV_WAS_DERIVED_FROM = _node(PROV_NAMESPACE + "wasDerivedFrom")
PROV_WAS_GENERATED_BY = _node(PROV_NAMESPACE + "wasGeneratedBy")
PROV_USED = _node(PROV_NAMESPACE + "used")
PROV_ENDED_AT_TIME = _node(PROV_NAMESPACE + "endedAtTime")
DCT_IDENTIFIER, DCT_TITLE, DCT_CREATOR, DCT_DATE, DCT_FORMAT, DCT_LANGUAGE = (
    _node(DCTERMS_NAMESPACE + p) for p in ("identifier", "title", "creator", "date", "format", "language")
)
XSD_GYEAR, XSD_DATE, XSD_DATETIME, XSD_DECIMAL, XSD_BOOLEAN, XSD_INTEGER = (
    _node(XSD_NAMESPACE + t) for t in ("gYear", "date", "dateTime", "decimal", "boolean", "integer")
)
_K = {name: _node(KG[name]) for name in (
    "Entity", "Source", "Evidence", "Statement", "Build", "Affirmed", "Negated", "isoCode", "source",
    "charStart", "charEnd", "sentence", "rule", "genre", "sha256", "kgVersion", "spacyModel",
    "spacyModelVersion", "settingsFingerprint", "year", "endYear", "timeText", "kind", "kindText",
    "quantity", "unit", "polarity", "hedged", "attributedTo", "attributedToEntity", "confidence",
    "resolvedBy", "resolutionNote", "formerIsoCode", "Succession", "NameChange", "successor", "predecessor",
    "fromState", "toState", "transitionYear", "successionType", "nameChange", "formerName", "newName",
)}
_POLARITY_NODE = {"affirmed": _K["Affirmed"], "negated": _K["Negated"]}
_TRUE = Literal("true", datatype=XSD_BOOLEAN)
_FALSE = Literal("false", datatype=XSD_BOOLEAN)
_DEFAULT_GRAPH = DefaultGraph()


@dataclass(frozen=True)
class BuildInfo:
    """What made a graph: recorded on its build node, so a graph says how it was built."""

    kg_version: str
    spacy_model: str
    spacy_model_version: str | None = None
    settings_fingerprint: str = ""
    # ISO 8601 UTC, from SOURCE_DATE_EPOCH only: wall-clock time would break byte-identical builds
    ended_at: str | None = None

    @classmethod
    def from_settings(cls, kg_version: str, settings: Settings, spacy_model_version: str | None,
                      environ: dict[str, str] | None = None) -> BuildInfo:
        env = os.environ if environ is None else environ
        return cls(kg_version=kg_version, spacy_model=settings.model, spacy_model_version=spacy_model_version,
                   settings_fingerprint=settings_fingerprint(settings),
                   ended_at=ended_at_from_source_date_epoch(env.get("SOURCE_DATE_EPOCH")))


def settings_fingerprint(settings: Settings) -> str:
    """Digest of the settings that change what a build outputs (not batch size or processes)."""
    relevant = {k: v for k, v in asdict(settings).items() if k not in ("batch_size", "n_process")}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode("utf-8")).hexdigest()


def ended_at_from_source_date_epoch(value: str | None) -> str | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) as an xsd:dateTime, or None when unset."""
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise OntologyError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds.",
                            "Set it to a Unix timestamp, e.g. `export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`.") from None
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def data_prefixes(base_iri: str) -> dict[str, str]:
    """Prefixes for the data IRIs a build mints, for readable Turtle/TriG."""
    return {name: f"{base_iri}{name}/" for name in ("entity", "statement", "evidence", "source", "graph", "build")}


# --- literals ---------------------------------------------------------------------------------

def _string(value: str) -> Literal:
    return Literal(value)


def year_literal(year: int) -> Literal:
    # xsd:gYear needs at least four digits; BCE years carry a minus sign
    sign = "-" if year < 0 else ""
    return Literal(f"{sign}{abs(year):04d}", datatype=XSD_GYEAR)


def decimal_literal(value: str | float | int, what: str) -> Literal:
    """An xsd:decimal in canonical-ish form ("2220", "1.5"); thousands separators are tolerated."""
    text = str(value).strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise OntologyError(f"{what} {value!r} is not a decimal number.",
                            "Quantities must be plain decimal strings such as \"2220\" or \"1.5\".") from None
    if not number.is_finite():
        raise OntologyError(f"{what} {value!r} is not a finite number.")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text or "0", datatype=XSD_DECIMAL)


@lru_cache(maxsize=1024)
def _confidence_literal(confidence: float) -> Literal:
    return decimal_literal(f"{min(max(confidence, 0.0), 1.0):.3f}", "Confidence")


def _offset(value: int) -> Literal:
    # xsd:integer, not xsd:nonNegativeInteger: Oxigraph stores the latter as xsd:integer, and the
    # files and the store must hold the same literals (the value is in the ontology's range either way)
    return Literal(str(int(value)), datatype=XSD_INTEGER)


def _date_literal(date: str) -> Literal:
    if re.fullmatch(r"-?\d{4}", date):
        return Literal(date, datatype=XSD_GYEAR)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return Literal(date, datatype=XSD_DATE)
    return Literal(date)  # as the sidecar wrote it ("1977-03"): keep it rather than guess


# --- entities ---------------------------------------------------------------------------------

def _merged_entity(variants: list[Entity]) -> Entity:
    """One description per key even when resolution gave a key different labels (most common wins)."""
    if len(variants) == 1:
        return variants[0]

    def commonest(values: Iterable[str]) -> str:
        counts = Counter(values)
        return min(counts, key=lambda v: (-counts[v], v))

    label = commonest(e.label for e in variants)
    aliases = sorted({a for e in variants for a in (e.label, *e.aliases)} - {label})
    iso = sorted({e.iso_code for e in variants if e.iso_code})
    wikidata = sorted({e.wikidata for e in variants if e.wikidata})
    return Entity(key=variants[0].key, label=label, type=commonest(e.type for e in variants),
                  aliases=tuple(aliases), iso_code=iso[0] if iso else None,
                  wikidata=wikidata[0] if wikidata else None)


def _entity_quads(entity: Entity, node: NamedNode) -> list[Quad]:
    g = _DEFAULT_GRAPH
    quads = [Quad(node, RDF_TYPE, _K["Entity"], g),
             Quad(node, RDF_TYPE, _node(entity_class_iri(entity.type)), g),
             Quad(node, RDFS_LABEL, _string(entity.label), g),
             Quad(node, SKOS_PREF_LABEL, _string(entity.label), g)]
    quads += [Quad(node, SKOS_ALT_LABEL, _string(alias), g)
              for alias in sorted(set(entity.aliases) - {entity.label})]
    # every name and the key folded to lower case, as SPARQL's LCASE folds them: looking a name up
    # is then one index lookup, not a case-blind comparison against every label and alias
    quads += [Quad(node, SKOS_HIDDEN_LABEL, _string(folded), g) for folded in lookup_names(entity)]
    if entity.iso_code:
        quads.append(Quad(node, _K["isoCode"], _string(entity.iso_code), g))
    if entity.wikidata:
        quads.append(Quad(node, OWL_SAME_AS, _node(WIKIDATA_ENTITY_NAMESPACE + entity.wikidata), g))
    return quads


def lookup_names(entity: Entity) -> list[str]:
    """The entity's label, aliases and key in lower case (its ``skos:hiddenLabel`` values), sorted."""
    return sorted({name.lower() for name in (entity.label, *entity.aliases, entity.key) if name})


def _reference_entity(entry: GazetteerEntry) -> Entity:
    return Entity(key=entry.key, label=entry.label, type=entry.type, aliases=entry.aliases, iso_code=entry.iso_code,
                  wikidata=entry.wikidata)


def _succession_quads(succession: Succession, base_iri: str, nodes: dict[str, NamedNode]) -> list[Quad]:
    g = _DEFAULT_GRAPH
    before, after = nodes[succession.predecessor], nodes[succession.successor]
    node = _node(succession_iri(base_iri, succession.predecessor, succession.successor))
    quads = [Quad(before, _K["successor"], after, g),
             Quad(after, _K["predecessor"], before, g),
             Quad(node, RDF_TYPE, _K["Succession"], g),
             Quad(node, _K["fromState"], before, g),
             Quad(node, _K["toState"], after, g),
             Quad(node, _K["successionType"], _string(succession.type), g)]
    if succession.year is not None:
        quads.append(Quad(node, _K["transitionYear"], year_literal(succession.year), g))
    if succession.basis:
        quads.append(Quad(node, SKOS_NOTE, _string(succession.basis), g))
    return quads


def _renaming_quads(entry: GazetteerEntry, node: NamedNode, base_iri: str) -> list[Quad]:
    g = _DEFAULT_GRAPH
    quads = []
    if entry.former_iso_code:
        quads.append(Quad(node, _K["formerIsoCode"], _string(entry.former_iso_code), g))
    for change in sorted(entry.name_changes, key=lambda c: (c.year, c.former)):
        change_node = _node(name_change_iri(base_iri, entry.key, change.year))
        quads += [Quad(node, _K["nameChange"], change_node, g),
                  Quad(change_node, RDF_TYPE, _K["NameChange"], g),
                  Quad(change_node, _K["formerName"], _string(change.former), g),
                  Quad(change_node, _K["newName"], _string(change.new), g),
                  Quad(change_node, _K["transitionYear"], year_literal(change.year), g)]
        if change.basis:
            quads.append(Quad(change_node, SKOS_NOTE, _string(change.basis), g))
    return quads


def identity_over_time_quads(entities: dict[str, Entity], entity_nodes: dict[str, NamedNode], gazetteer: Gazetteer,
                             base_iri: str) -> list[Quad]:
    """Successions reaching the statements' states, the states at their other ends, renamings.

    ``entity_nodes`` gains the nodes of the states added; ``entities`` is not changed.
    """
    states = [key for key, entity in entities.items() if entity.type == "State"]
    successions = gazetteer.succession_closure(states)
    added = sorted({k for s in successions for k in (s.predecessor, s.successor)} - set(entities))
    quads: list[Quad] = []
    for key in added:
        entity_nodes[key] = _node(entity_iri(base_iri, key))
        quads += _entity_quads(_reference_entity(gazetteer.get(key)), entity_nodes[key])
    for key in sorted({*entities, *added}):
        entry = gazetteer.get(key)
        if entry is not None and entry.type == "State" and entities.get(key, entry).type == "State":
            quads += _renaming_quads(entry, entity_nodes[key], base_iri)
    for succession in successions:
        quads += _succession_quads(succession, base_iri, entity_nodes)
    return quads


# --- sources and build ------------------------------------------------------------------------

def _source_quads(source: SourceDocument, node: NamedNode) -> list[Quad]:
    g, meta = _DEFAULT_GRAPH, source.metadata
    quads = [Quad(node, RDF_TYPE, _K["Source"], g),
             Quad(node, DCT_IDENTIFIER, _string(source.id), g),
             Quad(node, _K["sha256"], _string(source.sha256), g),
             Quad(node, _K["genre"], _string(meta.genre), g),
             Quad(node, DCT_FORMAT, _string(source.media_type), g),
             Quad(node, DCT_LANGUAGE, _string(meta.language), g)]
    if meta.title:
        quads.append(Quad(node, DCT_TITLE, _string(meta.title), g))
    if meta.author:
        quads.append(Quad(node, DCT_CREATOR, _string(meta.author), g))
    if meta.date:
        quads.append(Quad(node, DCT_DATE, _date_literal(meta.date), g))
    return quads


def build_node_iri(build: BuildInfo, sources: Sequence[SourceDocument], base_iri: str) -> str:
    """The build's IRI: the same software, settings and source contents give the same IRI."""
    parts = [build.kg_version, build.spacy_model, build.spacy_model_version or "", build.settings_fingerprint,
             *sorted(f"{s.id}\x1f{s.sha256}" for s in sources)]
    return build_iri(base_iri, hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest())


def _build_quads(build: BuildInfo, node: NamedNode, source_nodes: list[NamedNode]) -> list[Quad]:
    g = _DEFAULT_GRAPH
    quads = [Quad(node, RDF_TYPE, _K["Build"], g),
             Quad(node, _K["kgVersion"], _string(build.kg_version), g),
             Quad(node, _K["spacyModel"], _string(build.spacy_model), g)]
    if build.spacy_model_version:
        quads.append(Quad(node, _K["spacyModelVersion"], _string(build.spacy_model_version), g))
    if build.settings_fingerprint:
        quads.append(Quad(node, _K["settingsFingerprint"], _string(build.settings_fingerprint), g))
    if build.ended_at:
        quads.append(Quad(node, PROV_ENDED_AT_TIME, Literal(build.ended_at, datatype=XSD_DATETIME), g))
    quads += [Quad(node, PROV_USED, source_node, g) for source_node in source_nodes]
    return quads


# --- statements -------------------------------------------------------------------------------

def _statement_quads(statement: Statement, node: NamedNode, subject: NamedNode, obj: NamedNode,
                     predicate: NamedNode, evidence: NamedNode, build: NamedNode, graph: NamedNode,
                     attributed_entity: NamedNode | None) -> list[Quad]:
    q = statement.qualifiers
    if q.polarity not in POLARITIES:
        raise OntologyError(f"Statement polarity {q.polarity!r} is not one of {', '.join(POLARITIES)}.")
    quads = [Quad(node, RDF_TYPE, _K["Statement"], graph),
             Quad(node, RDF_SUBJECT, subject, graph),
             Quad(node, RDF_PREDICATE, predicate, graph),
             Quad(node, RDF_OBJECT, obj, graph),
             Quad(node, _K["polarity"], _POLARITY_NODE[q.polarity], graph),
             Quad(node, _K["hedged"], _TRUE if q.hedged else _FALSE, graph),
             Quad(node, _K["confidence"], _confidence_literal(statement.confidence), graph)]
    if q.year is not None:
        quads.append(Quad(node, _K["year"], year_literal(q.year), graph))
    if q.end_year is not None:
        quads.append(Quad(node, _K["endYear"], year_literal(q.end_year), graph))
    if q.time_text:
        quads.append(Quad(node, _K["timeText"], _string(q.time_text), graph))
    if q.kind:
        quads.append(Quad(node, _K["kind"], _string(q.kind), graph))
    if q.kind_text:
        quads.append(Quad(node, _K["kindText"], _string(q.kind_text), graph))
    if q.quantity not in (None, ""):
        quads.append(Quad(node, _K["quantity"], decimal_literal(q.quantity, "Quantity"), graph))
    if q.unit:
        quads.append(Quad(node, _K["unit"], _string(q.unit), graph))
    if q.attributed_to:
        quads.append(Quad(node, _K["attributedTo"], _string(q.attributed_to), graph))
    if attributed_entity is not None:
        quads.append(Quad(node, _K["attributedToEntity"], attributed_entity, graph))
    for rule in sorted({r.rule for r in statement.resolutions}):
        quads.append(Quad(node, _K["resolvedBy"], _string(rule), graph))
    for note in sorted({f"{r.role}: {r.note}" for r in statement.resolutions}):
        quads.append(Quad(node, _K["resolutionNote"], _string(note), graph))
    quads.append(Quad(node, PROV_WAS_DERIVED_FROM, evidence, graph))
    quads.append(Quad(node, PROV_WAS_GENERATED_BY, build, graph))
    return quads


def _evidence_quads(statement: Statement, node: NamedNode, source: NamedNode, graph: NamedNode) -> list[Quad]:
    ev = statement.evidence
    if ev.char_start < 0 or ev.char_end < ev.char_start:
        raise OntologyError(f"Evidence offsets {ev.char_start}..{ev.char_end} in {ev.source_id!r} are not a span.",
                            "char_start must be >= 0 and <= char_end.")
    return [Quad(node, RDF_TYPE, _K["Evidence"], graph),
            Quad(node, _K["source"], source, graph),
            Quad(node, _K["charStart"], _offset(ev.char_start), graph),
            Quad(node, _K["charEnd"], _offset(ev.char_end), graph),
            Quad(node, _K["sentence"], _string(ev.sentence), graph),
            Quad(node, _K["rule"], _string(ev.rule), graph)]


def _preferred(candidate: Statement, kept: Statement) -> bool:
    """Of two statements with one IRI, the more confident; ties by content, so input order never matters."""
    if candidate.confidence != kept.confidence:
        return candidate.confidence > kept.confidence
    return repr(candidate) < repr(kept)


def statement_quads(statements: Sequence[Statement], sources: Sequence[SourceDocument], build: BuildInfo,
                    base_iri: str, gazetteer: Gazetteer | None = None, identity_over_time: bool = True,
                    disagreements: bool = True, claim_rules: ClaimRules | None = None) -> list[Quad]:
    """The whole dataset of a build, as quads in a fixed order (see the module docstring).

    ``gazetteer`` (the packaged one by default) gives the successions and renamings written when
    ``identity_over_time`` is on. With ``disagreements``, where the sources disagree is written too
    (``kg.graph.disagreements``; ``claim_rules``: the packaged rules by default).

    Raises ``OntologyError`` for a relation or entity type the ontology does not declare, a
    statement whose source is not among ``sources``, or a malformed qualifier.
    """
    sources_by_id: dict[str, SourceDocument] = {}
    for source in sorted(sources, key=lambda s: s.id):
        sources_by_id.setdefault(source.id, source)
    source_nodes = {sid: _node(source_iri(base_iri, sid)) for sid in sources_by_id}

    # identical facts (same IRI) collapse to one: keep the most confident, ties broken by content
    by_iri: dict[str, Statement] = {}
    for statement in statements:
        if statement.evidence.source_id not in sources_by_id:
            raise OntologyError(f"A statement cites source {statement.evidence.source_id!r}, which is not "
                                "among the build's sources.", "Pass every source the statements come from.")
        iri = statement_iri(base_iri, statement)
        kept = by_iri.get(iri)
        if kept is None or _preferred(statement, kept):
            by_iri[iri] = statement

    variants: dict[str, list[Entity]] = defaultdict(list)
    for statement in by_iri.values():
        variants[statement.subject.key].append(statement.subject)
        variants[statement.object.key].append(statement.object)
    entities = {key: _merged_entity(sorted(set(found), key=repr)) for key, found in sorted(variants.items())}
    entity_nodes = {key: _node(entity_iri(base_iri, key)) for key in entities}
    predicate_nodes: dict[str, NamedNode] = {}

    build_node = _node(build_node_iri(build, list(sources_by_id.values()), base_iri))
    quads = _build_quads(build, build_node, list(source_nodes.values()))
    for sid, source in sources_by_id.items():
        quads += _source_quads(source, source_nodes[sid])
    for key, entity in entities.items():
        quads += _entity_quads(entity, entity_nodes[key])
    if identity_over_time:
        quads += identity_over_time_quads(entities, entity_nodes, gazetteer or load_gazetteer(), base_iri)

    per_graph: dict[str, list[tuple[str, Statement]]] = defaultdict(list)
    for iri, statement in by_iri.items():
        per_graph[statement.evidence.source_id].append((iri, statement))
    for sid in sorted(per_graph):
        graph = _node(graph_iri(base_iri, sid))
        written_evidence: set[str] = set()
        truthy: set[tuple[str, str, str]] = set()
        for iri, statement in sorted(per_graph[sid], key=lambda pair: pair[0]):
            predicate = predicate_nodes.get(statement.predicate)
            if predicate is None:
                predicate = predicate_nodes[statement.predicate] = _node(relation_iri(statement.predicate))
            subject, obj = entity_nodes[statement.subject.key], entity_nodes[statement.object.key]
            ev_iri = evidence_iri(base_iri, statement.evidence)
            ev_node = _node(ev_iri)
            attributed = entity_nodes.get(statement.qualifiers.attributed_to or "")
            quads += _statement_quads(statement, _node(iri), subject, obj, predicate, ev_node, build_node,
                                      graph, attributed)
            if ev_iri not in written_evidence:
                written_evidence.add(ev_iri)
                quads += _evidence_quads(statement, ev_node, source_nodes[sid], graph)
            if statement.truthy:
                truthy.add((statement.subject.key, statement.predicate, statement.object.key))
        quads += [Quad(entity_nodes[s], predicate_nodes[p], entity_nodes[o], graph) for s, p, o in sorted(truthy)]
    if disagreements:
        def relation_node(name: str) -> NamedNode:
            return predicate_nodes.get(name) or _node(relation_iri(name))

        quads += disagreement_quads(by_iri.values(), base_iri, entity_nodes, source_nodes, relation_node, build_node,
                                    lambda statement: _node(statement_iri(base_iri, statement)), claim_rules)
    return quads


def build_dataset(statements: Sequence[Statement], sources: Sequence[SourceDocument], build_info: BuildInfo,
                  base_iri: str | None = None, gazetteer: Gazetteer | None = None) -> list[Quad]:
    """``statement_quads`` with the base IRI from the settings when not given (ARCHITECTURE.md name)."""
    return statement_quads(statements, sources, build_info, base_iri or Settings().base_iri, gazetteer)
