"""``kg mapping``: the identifier mapping of a build (entity IRI, label, type, ISO 3166 code,
Wikidata id), for joining the graph with Wikidata, a collection database or another graph.

A thin command over ``kg.identifiers.write_mapping``; it reads the build's store, so the states
added as successors or predecessors are listed as well as those the texts name.

``kg/cli.py`` registers it: ``from kg.cli_ids import mapping`` then ``cli.add_command(mapping)``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import OutputMissingError


@click.command("mapping")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Build folder (where `kg build` wrote its outputs).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=Path("-"),
              show_default=True, help="File to write; '-' writes to standard output.")
@click.option("-f", "--format", "fmt", type=click.Choice(["csv", "tsv", "json"]), default=None,
              help="Output format (default: from the file's extension, else csv).")
@click.option("--linked-only", is_flag=True, help="Only entities with an ISO code or a Wikidata id.")
def mapping(out: Path, output: Path, fmt: str | None, linked_only: bool):
    """Write the entity -> ISO code / Wikidata id mapping of a build.

    Columns: iri, key, label, type, iso_code, iso_standard (ISO 3166-1 or ISO 3166-3),
    former_iso_code, wikidata, wikidata_iri. Wikidata ids come only from the verified table
    shipped with kg; an entity without one has an empty cell.

    \b
    Example:
      kg mapping --out output -o output/ids.csv
      kg mapping --linked-only -f json
    """
    from .identifiers import format_mapping, mapping_rows, write_mapping
    from .store import read_quads, store_exists

    store = out / "store"
    if not store_exists(store):
        raise OutputMissingError(f"No graph store in {out}.")
    quads = read_quads(store)
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("csv", "tsv", "json") else "csv"
    if str(output) == "-":
        click.echo(format_mapping(mapping_rows(quads, linked_only=linked_only), fmt), nl=False)
        return
    count = write_mapping(quads, output, fmt, linked_only=linked_only)
    click.echo(f"Wrote {count} entities to {output}", err=True)


if __name__ == "__main__":  # pragma: no cover - handy for trying the command before it is registered
    mapping(sys.argv[1:])
