"""``kg claims``, ``kg diff`` and ``kg asof``: where sources disagree, what one source says that
another does not, and what held in a given year. Thin commands over ``kg.claims`` and
``kg.claims_compare``; they read a build's ``statements.jsonl`` and ``build.json``.

``kg/cli.py`` registers them: ``from kg.cli_claims import claims, diff, asof``.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from .errors import KGError, OutputMissingError
from .model import Statement
from .settings import Settings

FORMATS = ("table", "csv", "json")

_out_option = click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
    help="Build folder (where `kg build` wrote statements.jsonl and build.json).")
_format_option = click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table",
                              show_default=True, help="Table for reading, CSV or JSON for other tools.")


@dataclass(frozen=True)
class BuildFacts:
    """What the claim commands need from a build folder."""

    statements: tuple[Statement, ...]
    genres: dict[str, str]  # source id -> genre, from build.json

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.genres) | {s.evidence.source_id for s in self.statements}))


def load_build(out: Path) -> BuildFacts:
    """Read ``out/statements.jsonl`` and ``out/build.json``; ``OutputMissingError`` when either is
    missing or unreadable."""
    from .jsonl import read_statements

    manifest_path, statements_path = Path(out) / "build.json", Path(out) / "statements.jsonl"
    for path in (manifest_path, statements_path):
        if not path.is_file():
            raise OutputMissingError(f"No {path.name} in {out}.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        genres = {str(entry["id"]): str(entry.get("genre") or "other") for entry in manifest.get("sources", [])}
        base_iri = (manifest.get("settings") or {}).get("base_iri") or Settings().base_iri
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise OutputMissingError(f"{manifest_path} is not a readable build manifest ({exc}).",
                                 "Rebuild with `kg build`.") from None
    try:
        statements = tuple(read_statements(statements_path, base_iri))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise OutputMissingError(f"{statements_path} is not a readable statements file ({exc!r}).",
                                 "Rebuild with `kg build`.") from None
    return BuildFacts(statements, genres)


def _typed_errors_as_click(command: Callable) -> Callable:
    """Show a typed error as one line and exit 1, whether or not the main ``kg`` group wraps us."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KGError as exc:
            raise click.ClickException(str(exc)) from None
    return run


def resolve_source(name: str, known: tuple[str, ...], param_hint: str) -> str:
    """A source id as the user typed it: the exact id, or a unique file name / path suffix."""
    if name in known:
        return name
    matches = [sid for sid in known if sid.endswith("/" + name)]
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(known) or "(none)"
    reason = "matches several sources" if matches else "is not a source of this build"
    raise click.BadParameter(f"{name!r} {reason}. Sources: {listing}", param_hint=param_hint)


@click.command("claims")
@_out_option
@_format_option
@click.option("--type", "types", multiple=True, type=click.Choice(
    ("polarity", "hedging", "year", "end_year", "period", "quantity")),
    help="Only disagreements of this type (repeatable).")
@click.option("--predicate", "predicates", multiple=True, metavar="RELATION",
              help="Only facts of this relation, e.g. diplomaticRelations (repeatable).")
@click.option("--entity", "entities", multiple=True, metavar="KEY_OR_LABEL",
              help="Only facts about this entity (key, label or alias, any case; repeatable).")
@click.option("--all", "show_all", is_flag=True,
              help="List every fact with its support (sources, mentions, denials), not only disagreements.")
@_typed_errors_as_click
def claims(out, fmt, types, predicates, entities, show_all):
    """List facts on which sources disagree, side by side with each source's sentence.

    A disagreement is one source affirming what another denies; asserting what another only
    hedges; different years for a fact that happens once (relations established, recognition,
    joining, a named agreement signed); overlapping but different tenures; or different
    quantities for the same fact, year, unit and kind. Different years of a visit, meeting or
    aid are different occasions, not a disagreement.

    \b
    Example:
      kg claims
      kg claims --type quantity --format csv > quantities.csv
      kg claims --all --entity "North Korea" --predicate diplomaticRelations
    """
    from .claims import conflicts, support
    from .claims_format import claim_record, claims_csv, claims_table, conflict_record, conflicts_csv, \
        conflicts_table, safe_json

    build = load_build(out)
    wanted = _entity_filter(entities)
    statements = [s for s in build.statements
                  if (not predicates or s.predicate in predicates) and wanted(s)]
    if show_all:
        every = support(statements, build.genres)
        text = {"table": claims_table, "csv": claims_csv}.get(fmt)
        click.echo((text(every) if text else safe_json([claim_record(c) for c in every])).rstrip("\n"))
        return
    found = [c for c in conflicts(statements, build.genres) if not types or c.type in types]
    text = {"table": conflicts_table, "csv": conflicts_csv}.get(fmt)
    click.echo((text(found) if text else safe_json([conflict_record(c) for c in found])).rstrip("\n"))


def _entity_filter(entities: tuple[str, ...]) -> Callable[[Statement], bool]:
    if not entities:
        return lambda statement: True
    names = {e.casefold().strip() for e in entities}

    def names_entity(entity) -> bool:
        return bool(names & {n.casefold() for n in (entity.key, entity.label, *entity.aliases)})

    return lambda statement: names_entity(statement.subject) or names_entity(statement.object)


@click.command("diff")
@click.argument("source_a")
@click.argument("source_b")
@_out_option
@_format_option
@_typed_errors_as_click
def diff(source_a, source_b, out, fmt):
    """Compare what two sources say: facts only SOURCE_A states, facts only SOURCE_B states,
    facts both state alike, and where they disagree.

    A source is named by its id in the build (its path under the sources folder) or, when that
    is unambiguous, by its file name. A visit or aid in another year is another fact; a one-off
    fact (relations established) with another year is a disagreement.

    \b
    Example:
      kg diff 001_report.txt archive/memo-1961.txt
      kg diff a.txt b.txt --format json
    """
    from .claims_compare import diff as compare
    from .claims_format import diff_csv, diff_record, diff_table, safe_json

    build = load_build(out)
    a = resolve_source(source_a, build.source_ids, "SOURCE_A")
    b = resolve_source(source_b, build.source_ids, "SOURCE_B")
    if a == b:
        raise click.BadParameter("name two different sources.", param_hint="SOURCE_B")
    result = compare(build.statements, a, b, build.genres)
    text = {"table": diff_table, "csv": diff_csv}.get(fmt, lambda r: safe_json(diff_record(r)))(result)
    click.echo(text.rstrip("\n"))


@click.command("asof")
@click.argument("year", type=int)
@_out_option
@_format_option
@click.option("--include-hedged", is_flag=True, help="Also count facts a source only hedges (\"reportedly\").")
@click.option("--predicate", "predicates", multiple=True, metavar="RELATION",
              help="Only this relation, e.g. memberOf (repeatable).")
@click.option("--entity", "entities", multiple=True, metavar="KEY_OR_LABEL",
              help="Only facts about this entity (key, label or alias, any case; repeatable).")
@_typed_errors_as_click
def asof(year, out, fmt, include_hedged, predicates, entities):
    """What held in YEAR: diplomatic relations established by then and not ended, recognitions,
    memberships and tenures (leaders, envoys) spanning the year, agreements signed by then.

    Counts affirmed, unhedged, dated statements (undated ones cannot say when). A fact some
    source disputes is flagged; see `kg claims`.

    \b
    Example:
      kg asof 1975
      kg asof 1975 --predicate memberOf --include-hedged --format csv
    """
    from .claims_compare import as_of
    from .claims_format import holding_record, holdings_csv, holdings_table, safe_json

    build = load_build(out)
    wanted = _entity_filter(entities)
    statements = [s for s in build.statements if (not predicates or s.predicate in predicates) and wanted(s)]
    held = as_of(statements, year, build.genres, include_hedged=include_hedged)
    if fmt == "table":
        text = holdings_table(held, year)
    elif fmt == "csv":
        text = holdings_csv(held)
    else:
        text = safe_json([holding_record(h) for h in held])
    click.echo(text.rstrip("\n"))


__all__ = ["BuildFacts", "asof", "claims", "diff", "load_build", "resolve_source"]
