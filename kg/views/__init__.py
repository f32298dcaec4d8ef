"""Interactive network views: one self-contained, offline HTML page per graph or neighbourhood.

``write_html(statements, path)`` is the whole story for callers (the build, the CLI); the
pieces (view model, layout, rendering) are importable for tests and other front ends.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..analytics import find_entity, neighbourhood_statements
from ..model import Statement
from .model import ViewModel, ViewOptions, build_view_model
from .render import ViewError, content_security_policy, escape_json_text, render_html, write_view

__all__ = [
    "ViewError", "ViewModel", "ViewOptions", "build_view_model", "content_security_policy",
    "entity_view_statements", "escape_json_text", "render_html", "write_html",
]


def write_html(statements: Sequence[Statement], path: Path, options: ViewOptions = ViewOptions()) -> Path:
    """Write the network of these statements to ``path`` (atomically) and return the path."""
    return write_view(render_html(build_view_model(statements, options), options), path)


def entity_view_statements(statements: Sequence[Statement], entity: str, depth: int = 1):
    """The statements around one entity (label, alias or key) and the entity they centre on.

    Raises ``kg.analytics.UnknownEntityError`` with close matches when nothing matches.
    """
    centre = find_entity(statements, entity)
    return neighbourhood_statements(statements, centre.key, depth), centre
