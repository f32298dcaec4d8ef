"""The RDF graph of a build: statements -> quads (``dataset``) -> files (``writers``)."""
from .dataset import (
    BuildInfo, build_dataset, build_node_iri, data_prefixes, decimal_literal, ended_at_from_source_date_epoch,
    settings_fingerprint, statement_quads, year_literal,
)
from .writers import (
    FORMATS, atomic_write, merged_triples, write_jsonld, write_nquads, write_ntriples, write_outputs, write_trig,
    write_turtle,
)

__all__ = [
    "BuildInfo", "build_dataset", "build_node_iri", "data_prefixes", "decimal_literal",
    "ended_at_from_source_date_epoch", "settings_fingerprint", "statement_quads", "year_literal",
    "FORMATS", "atomic_write", "merged_triples", "write_jsonld", "write_nquads", "write_ntriples",
    "write_outputs", "write_trig", "write_turtle",
]
