"""``kg view`` and ``kg analyze``: thin click commands over ``kg.views`` and ``kg.analytics``.

Both read a build's ``statements.jsonl`` (``--out`` = the build folder), so they work without the
store. The main CLI registers them with ``from kg.cli_views import view, analyze``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import click

from .analytics import (DEFAULT_SEED, MEASURES, analyze as analyze_graph, connecting_paths, find_entity,
                        select_statements, top_partners)
from .errors import KGError, OutputMissingError
from .claims import conflict_keys
from .cli_claims import resolve_source
from .jsonl import read_statements
from .model import Statement
from .settings import Settings
from .views import ViewOptions, entity_view_statements, write_html
from .views.model import COLOUR_MODES

FORMATS = ("table", "csv", "json")
STATEMENTS_FILE = "statements.jsonl"
LAYOUT_CACHE_DIR = ".cache"


def load_statements(out_dir: Path) -> list[Statement]:
    path = Path(out_dir) / STATEMENTS_FILE
    if not path.is_file():
        raise OutputMissingError(f"No {STATEMENTS_FILE} in {out_dir}.")
    try:
        return list(read_statements(path, Settings().base_iri))
    except (ValueError, KeyError, TypeError) as err:
        raise OutputMissingError(f"{path} is not a readable statements file ({err}).",
                                 "Run `kg build` again to rewrite it.") from err


def file_slug(text: str) -> str:
    """A file-name-safe form of an entity key ("north-korea" stays, odd characters become '-')."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "entity"


def _fail(err: KGError) -> click.ClickException:
    return click.ClickException(str(err))


@click.command("view")
@click.argument("entity", required=False)
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="With ENTITY: how many hops of its neighbourhood to draw.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Build folder holding statements.jsonl.")
@click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write [default: OUT/graph.html, or OUT/view-<entity>.html].")
@click.option("--size-by", type=click.Choice(MEASURES), default="pagerank", show_default=True,
              help="Measure that sets node sizes (switchable in the page).")
@click.option("--colour-by", "--color-by", "colour_by", type=click.Choice(COLOUR_MODES), default="type",
              show_default=True, help="Colour nodes by entity type or Louvain community.")
@click.option("--title", default=None, help="Page title [default: derived from the view].")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Seed for layout and communities (same seed, same page).")
@click.option("--source", "source", default=None, metavar="ID",
              help="Only what this source says (its id, or its file name when that is unique).")
def view(entity: str | None, depth: int, out_dir: Path, output_file: Path | None, size_by: str,
         colour_by: str, title: str | None, seed: int, source: str | None) -> None:
    """Write an interactive network view: the whole graph, or ENTITY's neighbourhood.

    The page is one self-contained HTML file that works offline: click an entity or a fact for
    every statement behind it with its evidence sentence; filter by relation, entity type,
    source and years; show or hide hedged and negated facts; search for an entity.

    \b
    Examples:
      kg view                         # output/graph.html
      kg view "East Germany" --depth 2
      kg view dprk --colour-by community --output dprk.html
      kg view --source 002_b36a5263e116de41.txt   # what one source says

    A fact that sources disagree about (see `kg claims`) is marked on its edge, also in a view
    of one source or one neighbourhood.
    """
    try:
        statements = load_statements(out_dir)
        disputed = frozenset(conflict_keys(statements))
        focus, name = None, "graph"
        scope = []
        if source is not None:
            source_id = resolve_source(source, tuple(sorted({s.evidence.source_id for s in statements})),
                                       "--source")
            statements = [s for s in statements if s.evidence.source_id == source_id]
            name = f"view-source-{file_slug(source_id)}"
            scope.append(f"what {source_id} says")
        if entity is not None:
            statements, centre = entity_view_statements(statements, entity, depth)
            focus = centre.key
            name = f"{name if source is not None else 'view'}-{file_slug(centre.key)}"
            scope.insert(0, f"{centre.label}: neighbourhood, depth {depth}")
        target = output_file or out_dir / f"{name}.html"
        page_title = title or ("; ".join(scope) if scope else "Knowledge graph")
        options = ViewOptions(title=page_title, size_by=size_by, colour_by=colour_by, focus=focus,
                              seed=seed, layout_cache=out_dir / LAYOUT_CACHE_DIR, disputed=disputed)
        path = write_html(statements, target, options)
    except KGError as err:
        raise _fail(err) from err
    click.echo(f"Wrote {path} ({len(statements)} statements)")


def render_rows(rows: Sequence[dict], columns: Sequence[str], fmt: str) -> str:
    """Rows as an aligned text table, CSV or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
        return buffer.getvalue()
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def measure_rows(statements: Sequence[Statement], sort_by: str, top: int, seed: int) -> tuple[list[dict], list[str]]:
    analysis = analyze_graph(statements, seed=seed)
    ranked = analysis.ranked(sort_by)
    rows = [{
        "rank": i + 1, "key": m.entity.key, "label": m.entity.label, "type": m.entity.type,
        "degree": m.degree, "statements": m.statements, "pagerank": round(m.pagerank, 6),
        "betweenness": round(m.betweenness, 6), "community": m.community,
    } for i, m in enumerate(ranked[:top] if top else ranked)]
    columns = ["rank", "key", "label", "type", "degree", "statements", "pagerank", "betweenness", "community"]
    return rows, columns


def community_rows(statements: Sequence[Statement], seed: int) -> tuple[list[dict], list[str]]:
    analysis = analyze_graph(statements, seed=seed)
    by_key = analysis.by_key()
    rows = []
    for i, members in enumerate(analysis.communities):
        ranked = sorted(members, key=lambda k: (-by_key[k].pagerank, k))
        rows.append({"community": i, "size": len(members),
                     "members": [by_key[k].entity.label for k in ranked]})
    return rows, ["community", "size", "members"]


def partner_rows(statements: Sequence[Statement], entity: str, top: int) -> tuple[list[dict], list[str]]:
    centre = find_entity(statements, entity)
    rows = [{
        "entity": centre.label, "relation": p.relation, "direction": p.direction,
        "partner": p.partner.label, "partner_key": p.partner.key, "statements": p.statements,
        "years": list(p.years), "sources": list(p.sources),
    } for p in top_partners(statements, centre.key, limit_per_relation=top or 10_000)]
    return rows, ["entity", "relation", "direction", "partner", "partner_key", "statements", "years", "sources"]


def path_rows(statements: Sequence[Statement], source: str, target: str, max_paths: int,
              max_hops: int) -> tuple[list[dict], list[str]]:
    start, end = find_entity(statements, source), find_entity(statements, target)
    rows = []
    for n, path in enumerate(connecting_paths(statements, start.key, end.key, max_paths=max_paths,
                                              max_hops=max_hops), start=1):
        for h, hop in enumerate(path.hops, start=1):
            for s in hop.statements:
                year = "" if s.qualifiers.year is None else str(s.qualifiers.year)
                flags = [f for f, on in (("negated", s.qualifiers.polarity == "negated"),
                                         ("hedged", s.qualifiers.hedged)) if on]
                rows.append({
                    "path": n, "hop": h, "from": hop.source.label, "to": hop.target.label,
                    "subject": s.subject.label, "relation": s.predicate, "object": s.object.label,
                    "year": year, "factuality": ",".join(flags) or "affirmed",
                    "source": s.evidence.source_id, "chars": f"{s.evidence.char_start}-{s.evidence.char_end}",
                    "evidence": s.evidence.sentence,
                })
    columns = ["path", "hop", "from", "to", "subject", "relation", "object", "year", "factuality",
               "source", "chars", "evidence"]
    return rows, columns


@click.command("analyze")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Build folder holding statements.jsonl.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--sort-by", type=click.Choice(MEASURES), default="pagerank", show_default=True,
              help="Measure that ranks the centrality table.")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True,
              help="Rows in the centrality table, or partners per relation (0 = all).")
@click.option("--communities", is_flag=True, help="List Louvain communities instead of centrality.")
@click.option("--partners", metavar="ENTITY", default=None,
              help="ENTITY's top partners by relation (label, alias or key).")
@click.option("--connect", nargs=2, metavar="ENTITY ENTITY", default=None,
              help="How two entities are connected: shortest paths with the facts along them.")
@click.option("--max-paths", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--max-hops", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--include-negated", is_flag=True, help="Count negated facts as connections.")
@click.option("--exclude-hedged", is_flag=True, help="Leave hedged facts out.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Seed for sampled betweenness and Louvain (same seed, same answer).")
def analyze(out_dir: Path, fmt: str, sort_by: str, top: int, communities: bool, partners: str | None,
            connect: tuple[str, str] | None, max_paths: int, max_hops: int, include_negated: bool,
            exclude_hedged: bool, seed: int) -> None:
    """Network analytics: centrality (degree, PageRank, betweenness), communities, partners, paths.

    Negated facts are not connections unless --include-negated; hedged ones count unless
    --exclude-hedged. Betweenness is exact up to 500 entities and estimated from a fixed-seed
    sample of 200 above, so answers are deterministic.

    \b
    Examples:
      kg analyze --sort-by betweenness --top 10
      kg analyze --partners "North Korea" --format csv
      kg analyze --connect Ethiopia "East Germany" --format json
    """
    chosen = sum(bool(x) for x in (communities, partners, connect))
    if chosen > 1:
        raise click.UsageError("Choose one of --communities, --partners and --connect.")
    try:
        statements = select_statements(load_statements(out_dir), include_negated=include_negated,
                                       include_hedged=not exclude_hedged)
        if communities:
            rows, columns = community_rows(statements, seed)
        elif partners:
            rows, columns = partner_rows(statements, partners, top)
        elif connect:
            rows, columns = path_rows(statements, connect[0], connect[1], max_paths, max_hops)
            if not rows and fmt == "table":
                click.echo(f"No path of at most {max_hops} hops between {connect[0]} and {connect[1]}.")
                return
        else:
            rows, columns = measure_rows(statements, sort_by, top, seed)
    except KGError as err:
        raise _fail(err) from err
    click.echo(render_rows(rows, columns, fmt), nl=False)
