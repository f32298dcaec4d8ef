"""Render a view model to one self-contained, offline HTML file through pyvis' template mechanism.

pyvis' own template links bootstrap (and in some modes vis-network) from CDNs, so we point the
``Network`` at our template (``set_template_dir``), inline the vendored vis-network and our
script and styles, and allow exactly those inline blocks with a hash-based
Content-Security-Policy ('unsafe-inline' is not needed). Data goes in as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so
no source text can close the block or start markup.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from ..errors import ViewError
from .model import STABILISATION_ITERATIONS, ViewModel, ViewOptions

TEMPLATE_NAME = "view.html"
# vis-network draws every edge label and smooth curve each frame: on big graphs that is what
# makes panning slow, so they get straight edges and labels only when zoomed in
LARGE_GRAPH_EDGES = 2000

_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                 ("\u2029", "\\u2029"))


def escape_json_text(text: str) -> str:
    """Make JSON text safe inside an HTML <script> block (it still parses to the same value)."""
    # one str.replace per character rather than str.translate: translate with a mapping runs
    # character by character in Python's slow path (0.15 s on a 1 MB corpus's view, against 5 ms);
    # no replacement contains a character replaced after it, so the order does not matter
    for character, escape in _JSON_ESCAPES:
        text = text.replace(character, escape)
    return text


def to_script_json(value: object) -> Markup:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return Markup(escape_json_text(text))


def _package_text(*parts: str) -> str:
    return resources.files(__package__).joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    return {
        "vis_js": _package_text("vendor", "vis-network-9.1.2.min.js"),
        "vis_css": _package_text("vendor", "vis-network-9.1.2.css"),
        "app_js": _package_text("static", "view.js"),
        "app_css": _package_text("static", "view.css"),
    }


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy() -> str:
    """No remote sources at all; the page's own inline scripts and styles allowed by hash."""
    assets = _assets()
    scripts = " ".join(_csp_hash(assets[k]) for k in ("vis_js", "app_js"))
    styles = " ".join(_csp_hash(assets[k]) for k in ("vis_css", "app_css"))
    return ("default-src 'none'; "
            f"script-src {scripts}; "
            f"style-src {styles}; "
            # vis-network's stylesheet carries its button icons as data: images
            "img-src data:; "
            "base-uri 'none'; form-action 'none'")


def vis_options(model: ViewModel, options: ViewOptions) -> dict:
    large = len(model.edges) > LARGE_GRAPH_EDGES
    return {
        "autoResize": True,
        "layout": {"randomSeed": options.seed, "improvedLayout": False},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3,
                                             "strokeColor": "#ffffff"}},
        "edges": {
            "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "smooth": False if large else {"enabled": True, "type": "dynamic"},
            "selectionWidth": 2,
            "arrows": {"to": {"scaleFactor": 0.6}},
        },
        "interaction": {"hover": not large, "tooltipDelay": 250, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": False},
        "physics": {
            "enabled": model.physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.4},
            # bounded: the page stops physics once these iterations are done
            "stabilization": {"enabled": model.physics, "iterations": STABILISATION_ITERATIONS,
                              "updateInterval": 50, "fit": True},
        },
    }


def _network(model: ViewModel, options: ViewOptions) -> Network:
    net = Network(height="100%", width="100%", directed=True, heading=options.title,
                  cdn_resources="in_line")
    # lists set directly: pyvis' add_node/add_edge is quadratic on large graphs
    net.nodes = [node.as_vis(options) for node in model.nodes]
    net.edges = [edge.as_vis() for edge in model.edges]
    net.node_ids = [node.key for node in model.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.options = vis_options(model, options)
    template_dir = str(resources.files(__package__).joinpath("templates"))
    net.set_template_dir(template_dir + os.sep, TEMPLATE_NAME)
    # pyvis' environment does not autoescape; ours does, so the title cannot inject markup
    net.templateEnv = Environment(loader=FileSystemLoader(template_dir), autoescape=True)
    return net


def render_html(model: ViewModel, options: ViewOptions = ViewOptions()) -> str:
    """The page as a string: deterministic for the same model and options."""
    net = _network(model, options)
    assets = _assets()
    env = net.templateEnv
    env.filters["kg_json"] = to_script_json
    # pyvis hands the options over already serialised
    env.filters["kg_json_text"] = lambda text: Markup(escape_json_text(text))
    env.globals.update({
        "kg_csp": content_security_policy(),
        "kg_pyvis_version": metadata.version("pyvis"),
        "kg_vis_js": Markup(assets["vis_js"]), "kg_vis_css": Markup(assets["vis_css"]),
        "kg_app_js": Markup(assets["app_js"]), "kg_app_css": Markup(assets["app_css"]),
        "kg_statements": list(model.statements),
        "kg_facets": model.facets,
        "kg_config": {"sizeBy": options.size_by, "colourBy": options.colour_by,
                      "focus": options.focus, "physics": model.physics},
    })
    return net.generate_html(name=TEMPLATE_NAME, notebook=False)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_view(html: str, path: Path) -> Path:
    """Write atomically: a failed write never leaves half a page where the old one was."""
    path = Path(path)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         prefix=f".{path.name}.", suffix=".tmp", newline="\n") as fh:
            temporary = fh.name
            fh.write(html)
        os.chmod(temporary, 0o666 & ~_current_umask())  # temporary files start private
        os.replace(temporary, path)
    except OSError as err:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        raise ViewError(f"Cannot write the view to {path}: {err.strerror or err}.",
                        "Choose another --output file or a writable folder.") from err
    return path
