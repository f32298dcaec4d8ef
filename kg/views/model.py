"""The view model: what the network page draws, built from statements with no browser involved.

One node per entity; one edge per (subject, relation, object, factuality), carrying the indices
of every statement behind it so the page can list them and filter them one by one. Node and
edge lists are built directly (pyvis' add_node/add_edge is quadratic on big graphs).
"""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..analytics import DEFAULT_SEED, MEASURES, GraphAnalysis, analyze, entity_graph
from ..claims import claim_key, conflict_keys
from ..errors import KGError
from ..model import Entity, Statement
from .layout import cached_positions

COLOUR_MODES = ("type", "community")
# Up to this many nodes the page lets vis-network's physics polish the Python layout for a
# bounded number of iterations and then stops it; above, physics stays off (software rendering
# cannot settle thousands of nodes in reasonable time).
PHYSICS_MAX_NODES = 400
STABILISATION_ITERATIONS = 150


@lru_cache(maxsize=1)
def styles() -> dict:
    return json.loads(resources.files(__package__).joinpath("styles.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ViewOptions:
    title: str = "Knowledge graph"
    size_by: str = "pagerank"  # one of analytics.MEASURES
    colour_by: str = "type"  # one of COLOUR_MODES
    focus: str | None = None  # entity key selected and centred when the page opens
    seed: int = DEFAULT_SEED
    layout_cache: Path | None = None  # folder for cached layouts (the build folder's .cache/)
    # facts sources disagree about, when the view shows part of a build (one source, one entity's
    # neighbourhood) and the disagreement lies with statements left out of it; None: work it out
    disputed: frozenset[tuple[str, str, str]] | None = None
    # betweenness only sizes nodes here, so a smaller fixed-seed sample than `kg analyze` uses
    # keeps big views quick (about 1.5 s instead of 3-7 s at 5,000 nodes)
    betweenness_sample: int = 64

    def __post_init__(self) -> None:
        if self.size_by not in MEASURES:
            raise KGError(f"Cannot size nodes by {self.size_by!r}.", f"Choose one of {', '.join(MEASURES)}.")
        if self.colour_by not in COLOUR_MODES:
            raise KGError(f"Cannot colour nodes by {self.colour_by!r}.",
                          f"Choose one of {', '.join(COLOUR_MODES)}.")


@dataclass(frozen=True)
class ViewNode:
    key: str
    label: str
    type: str
    aliases: tuple[str, ...]
    iso_code: str | None
    wikidata: str | None
    community: int
    measures: dict[str, float]  # pagerank, degree, betweenness, statements
    sizes: dict[str, float]  # node size under each measure in MEASURES
    x: float
    y: float

    def as_vis(self, options: ViewOptions) -> dict:
        style = styles()
        type_style = style["entity_types"].get(self.type, style["unknown_type"])
        palette = style["community_palette"]
        community_colour = palette[self.community] if self.community < len(palette) else \
            style["community_overflow_colour"]
        colour = type_style["colour"] if options.colour_by == "type" else community_colour
        return {
            "id": self.key, "label": self.label, "shape": type_style["shape"],
            "color": colour, "size": self.sizes[options.size_by], "x": self.x, "y": self.y,
            "title": f"{self.label} ({self.type}), {int(self.measures['statements'])} statements",
            # fields for the page's own code (vis-network ignores unknown fields)
            "kgType": self.type, "kgTypeColour": type_style["colour"],
            "kgCommunity": self.community, "kgCommunityColour": community_colour,
            "kgSizes": self.sizes, "kgMeasures": self.measures, "kgAliases": list(self.aliases),
            "kgIso": self.iso_code, "kgWikidata": self.wikidata,
        }


@dataclass(frozen=True)
class ViewEdge:
    id: str
    source: str
    target: str
    relation: str
    factuality: str  # affirmed | hedged | negated
    statement_ids: tuple[int, ...]
    years: tuple[int, ...]
    disputed: bool = False  # sources disagree about this fact (see kg.claims)

    @property
    def label(self) -> str:
        look = styles()["factuality"][self.factuality]
        mark = styles()["disputed"]["label_prefix"] if self.disputed else ""
        return f"{mark}{look['label_prefix']}{self.relation}{_years_text(self.years)}{look['label_suffix']}"

    def as_vis(self) -> dict:
        style = styles()
        look = style["factuality"][self.factuality]
        width = style["edge_width"]
        symmetric = self.relation in style["symmetric_relations"]
        edge = {
            "id": self.id, "from": self.source, "to": self.target, "label": self.label,
            "title": f"{self.label}: {len(self.statement_ids)} statement(s)",
            "arrows": "" if symmetric else "to", "dashes": look["dashes"],
            "color": {"color": look["colour"], "highlight": look["colour"], "inherit": False},
            "width": min(width["max"], width["min"] + math.log2(len(self.statement_ids))),
            "kgRelation": self.relation, "kgFactuality": self.factuality,
            "kgStatements": list(self.statement_ids), "kgDisputed": self.disputed,
        }
        if self.disputed:
            disputed = style["disputed"]
            edge["title"] += f" - {disputed['title']}"
            edge["font"] = {"color": disputed["colour"]}
            edge["shadow"] = {"enabled": True, "color": disputed["colour"], "size": 8, "x": 0, "y": 0}
        return edge


@dataclass(frozen=True)
class ViewModel:
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    statements: tuple[dict, ...]  # panel records, index = statement id
    facets: dict = field(default_factory=dict)  # what the filters offer
    physics: bool = False


def factuality_of(statement: Statement) -> str:
    if statement.qualifiers.polarity == "negated":
        return "negated"
    return "hedged" if statement.qualifiers.hedged else "affirmed"


def _years_text(years: tuple[int, ...]) -> str:
    if not years:
        return ""
    if len(years) <= 2:
        return " " + ", ".join(str(y) for y in years)
    return f" {years[0]}\u2013{years[-1]}"


def statement_record(statement: Statement) -> dict:
    """What the side panel shows for one statement (and what the filters test)."""
    q, ev = statement.qualifiers, statement.evidence
    return {
        "subject": statement.subject.key, "subjectLabel": statement.subject.label,
        "relation": statement.predicate,
        "object": statement.object.key, "objectLabel": statement.object.label,
        "year": q.year, "endYear": q.end_year, "timeText": q.time_text,
        "kind": q.kind, "kindText": q.kind_text, "quantity": q.quantity, "unit": q.unit,
        "polarity": q.polarity, "hedged": q.hedged, "attributedTo": q.attributed_to,
        "factuality": factuality_of(statement),
        "confidence": round(statement.confidence, 3),
        "sentence": ev.sentence, "source": ev.source_id,
        "charStart": ev.char_start, "charEnd": ev.char_end, "rule": ev.rule,
    }


def _statement_sort_key(record: dict) -> tuple:
    return tuple("" if record[k] is None else str(record[k]) for k in (
        "source", "charStart", "charEnd", "relation", "subject", "object", "year", "endYear",
        "factuality", "kind", "quantity", "unit", "attributedTo", "rule", "sentence"))


def _sizes(analysis: GraphAnalysis) -> dict[str, dict[str, float]]:
    """Node size under each measure: square-root scaled between the configured bounds."""
    bounds = styles()["node_size"]
    sizes: dict[str, dict[str, float]] = defaultdict(dict)
    for measure in MEASURES:
        values = {m.entity.key: float(getattr(m, measure)) for m in analysis.measures}
        top = max(values.values(), default=0.0)
        for key, value in values.items():
            share = math.sqrt(value / top) if top > 0 else 0.0
            sizes[key][measure] = round(bounds["min"] + (bounds["max"] - bounds["min"]) * share, 2)
    return sizes


def build_view_model(statements: Sequence[Statement], options: ViewOptions = ViewOptions()) -> ViewModel:
    """Nodes, edges, panel records and filter facets for a set of statements (deterministic)."""
    records = [statement_record(s) for s in statements]
    order = sorted(range(len(records)), key=lambda i: _statement_sort_key(records[i]))
    ordered_statements = [statements[i] for i in order]
    records = [records[i] for i in order]

    analysis = analyze(ordered_statements, seed=options.seed,
                       betweenness_sample=options.betweenness_sample)
    graph = entity_graph(ordered_statements)
    positions = cached_positions(graph, analysis.communities, options.seed, options.layout_cache)
    sizes = _sizes(analysis)
    entities: dict[str, Entity] = {m.entity.key: m.entity for m in analysis.measures}
    nodes = tuple(
        ViewNode(
            key=m.entity.key, label=m.entity.label, type=m.entity.type, aliases=m.entity.aliases,
            iso_code=m.entity.iso_code, wikidata=m.entity.wikidata, community=m.community,
            measures={"pagerank": round(m.pagerank, 6), "degree": m.degree,
                      "betweenness": round(m.betweenness, 6), "statements": m.statements},
            sizes=sizes[m.entity.key], x=positions[m.entity.key][0], y=positions[m.entity.key][1],
        )
        for m in analysis.measures
    )

    # a fact sources disagree about is marked on its edge and on each of its statements
    disputed = options.disputed if options.disputed is not None else conflict_keys(ordered_statements)
    for record, statement in zip(records, ordered_statements):
        record["disputed"] = claim_key(statement) in disputed

    grouped: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for i, s in enumerate(ordered_statements):
        if s.subject.key in entities and s.object.key in entities and s.subject.key != s.object.key:
            grouped[(s.subject.key, s.predicate, s.object.key, factuality_of(s))].append(i)
    edges = tuple(
        ViewEdge(
            id=f"e{n}", source=subject, target=obj, relation=relation, factuality=factuality,
            statement_ids=tuple(ids),
            years=tuple(sorted({records[i]["year"] for i in ids if records[i]["year"] is not None})),
            disputed=records[ids[0]]["disputed"],
        )
        for n, ((subject, relation, obj, factuality), ids) in enumerate(sorted(grouped.items()))
    )
    return ViewModel(nodes=nodes, edges=edges, statements=tuple(records),
                     facets=_facets(records, nodes), physics=0 < len(nodes) <= PHYSICS_MAX_NODES)


def _facets(records: Sequence[dict], nodes: Sequence[ViewNode]) -> dict:
    years = [y for r in records for y in (r["year"], r["endYear"]) if y is not None]
    style = styles()
    type_counts = Counter(n.type for n in nodes)
    return {
        "relations": sorted(Counter(r["relation"] for r in records).items()),
        "types": [
            {"type": t, "count": type_counts[t],
             **style["entity_types"].get(t, style["unknown_type"])}
            for t in sorted(type_counts)
        ],
        "sources": sorted(Counter(r["source"] for r in records).items()),
        "factualities": sorted(Counter(r["factuality"] for r in records).items()),
        "yearMin": min(years, default=None),
        "yearMax": max(years, default=None),
        "undated": sum(1 for r in records if r["year"] is None and r["endYear"] is None),
    }
