"""Commands for speed and scale: ``kg bench``, ``kg push``, ``kg serve`` (registered by ``kg.cli``)."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import OutputMissingError


def _store(out: Path) -> Path:
    store = Path(out) / "store"
    if not store.is_dir():
        raise OutputMissingError(f"No graph store in {out}.")
    return store


@click.command()
@click.option("--size", "size_mb", type=click.FloatRange(0.001, 1000), default=1.0, show_default=True,
              help="Corpus size in megabytes (about 100 documents per MB).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every figure to this JSON file.")
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("sources"),
              show_default=True, help="Texts the corpus is drawn from.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the corpus and graph generators.")
@click.option("--graph-triples", type=click.IntRange(1000), default=1_000_000, show_default=True,
              help="Size of the generated graph for the write and query figures.")
@click.option("--rdflib/--no-rdflib", default=True, show_default=True,
              help="Also time the queries in rdflib's in-memory Dataset (slow: minutes at a million triples).")
@click.option("--rdflib-timeout", type=click.FloatRange(1), default=30.0, show_default=True,
              help="Seconds before an rdflib query is given up.")
@click.option("--query-timeout", type=click.FloatRange(1), default=60.0, show_default=True,
              help="Seconds before an Oxigraph query is given up (reported as missed).")
@click.option("--processes", type=click.IntRange(1, 64), help="Worker processes (default: every core).")
@click.option("--batch-size", type=click.IntRange(1, 10_000), help="Texts per spaCy batch (default 32).")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the corpus, builds and graph here (default: a temporary folder, removed).")
@click.pass_context
def bench(ctx, size_mb, json_path, sources, seed, graph_triples, rdflib, rdflib_timeout, query_timeout, processes,
          batch_size, work_dir):
    """Measure extraction overhead, parallel speed-up, incremental rebuilds, memory, graph writing
    and query times, side by side in one run.

    \b
    Example:
      kg bench --size 1 --json bench.json
      kg bench --size 0.05 --graph-triples 20000 --no-rdflib
    """
    from .bench import BenchOptions, run_bench, summary, write_report
    from .settings import Settings

    overrides = {k: v for k, v in {"n_process": processes, "batch_size": batch_size}.items() if v is not None}
    quiet = (ctx.obj or {}).get("quiet")
    options = BenchOptions(size_mb=size_mb, sources=sources, seed=seed, graph_triples=graph_triples, rdflib=rdflib,
                           rdflib_timeout_s=rdflib_timeout, oxigraph_timeout_s=query_timeout, work_dir=work_dir, settings=Settings(**overrides))
    report = run_bench(options, say=None if quiet else (lambda m: click.echo(m, err=True)))
    if json_path:
        write_report(report, json_path)
    if not quiet:
        click.echo(summary(report))


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Build folder whose graph is pushed.")
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
                   "http://localhost:3030/ds/data (Fuseki).")
@click.option("--user", help="User name for HTTP basic authentication.")
@click.option("--password-env", default="KG_PUSH_PASSWORD", show_default=True, metavar="NAME",
              help="Environment variable holding the password (never given on the command line).")
@click.option("--timeout", type=click.FloatRange(1), default=300.0, show_default=True,
              help="Seconds to wait for the store per graph.")
@click.pass_context
def push(ctx, out, endpoint, user, password_env, timeout):
    """Load the built graph into any SPARQL 1.1 store: one PUT per source's named graph (replacing
    it there) and one for the default graph.

    \b
    Example:
      kg push --endpoint http://localhost:7878/store
      KG_PUSH_PASSWORD=... kg push --endpoint https://db.example.org/ds/data --user historian
    """
    import os

    from .push import push as run_push

    _store(out)
    quiet = (ctx.obj or {}).get("quiet")
    verbose = (ctx.obj or {}).get("verbose")

    def progress(graph):
        if verbose:
            click.echo(f"  {graph.graph or 'default graph'}: {graph.triples} triples (HTTP {graph.status})", err=True)

    result = run_push(out, endpoint, user=user, password=os.environ.get(password_env) if user else None,
                      timeout_s=timeout, progress=progress)
    if not quiet:
        click.echo(f"Pushed {len(result.graphs)} graph(s), {result.triples} triples, to {endpoint}")


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Build folder whose store is served.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the endpoint to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True, help="Port (0: any free port).")
@click.option("--limit", type=click.IntRange(1), default=10_000, show_default=True, help="Rows per answer at most.")
@click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True,
              help="Seconds before a query is stopped.")
@click.pass_context
def serve(ctx, out, host, port, limit, timeout):
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    \b
    Example:
      kg serve --out output/ --port 7879
      curl -H 'Accept: text/csv' 'http://127.0.0.1:7879/sparql?query=SELECT+*+WHERE+%7B?s+?p+?o%7D+LIMIT+5'
    """
    from .serve import ServeOptions
    from .serve import serve as run_serve

    verbose = (ctx.obj or {}).get("verbose")
    try:
        run_serve(_store(out), ServeOptions(host=host, port=port, limit=limit, timeout_s=timeout),
                  ready=lambda url: click.echo(f"SPARQL endpoint (read-only): {url}  (Ctrl-C stops it)", err=True),
                  log=(lambda line: click.echo(line, err=True)) if verbose else None)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


__all__ = ["bench", "push", "serve"]
