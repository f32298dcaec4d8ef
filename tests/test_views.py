"""The network view without a browser: view model, escaping, CSP, determinism, layout, CLI."""
from __future__ import annotations

import base64
import hashlib
import html as htmllib
import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli_views import analyze, view
from kg.errors import KGError
from kg.jsonl import dumps_statements
from kg.settings import Settings
from kg.views import ViewError, ViewOptions, build_view_model, escape_json_text, render_html, write_html
from kg.views import layout as layout_module
from kg.views.layout import cached_positions, compute_positions
from kg.views.model import styles
from kg.views.render import write_view

from test_views_fixtures import HOSTILE_SENTENCE, entity, sample_statements, statement

VENDOR = Path(__file__).resolve().parent.parent / "kg" / "views" / "vendor"


def edge_by(model, relation, source=None):
    return [e for e in model.edges if e.relation == relation and (source is None or e.source == source)]


def json_blocks(html: str) -> dict[str, str]:
    return dict(re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', html, re.S))


# ---------- view model ----------

def test_one_node_per_entity_one_edge_per_relation_and_factuality():
    model = build_view_model(sample_statements())
    assert sorted(n.key for n in model.nodes) == sorted(
        ["north-korea", "ethiopia", "east-germany", "soviet-union", "kim-il-sung", "non-aligned-movement",
         "hostile"])
    soviet_aid = edge_by(model, "providedAid", "soviet-union")
    assert len(soviet_aid) == 1 and len(soviet_aid[0].statement_ids) == 2
    assert soviet_aid[0].label == "providedAid 1961, 1965"
    assert len(model.statements) == 8
    every_id = sorted(i for e in model.edges for i in e.statement_ids)
    assert every_id == list(range(8))


def test_edges_styled_by_factuality_and_symmetry():
    model = build_view_model(sample_statements())
    look = styles()["factuality"]
    hedged = edge_by(model, "providedAid", "east-germany")[0].as_vis()
    negated = edge_by(model, "recognized")[0].as_vis()
    plain = edge_by(model, "providedAid", "north-korea")[0].as_vis()
    assert hedged["kgFactuality"] == "hedged" and hedged["label"] == "providedAid 1978 ?"
    assert negated["kgFactuality"] == "negated" and negated["label"] == "not recognized 1980"
    assert hedged["dashes"] == look["hedged"]["dashes"] and negated["dashes"] == look["negated"]["dashes"]
    assert plain["dashes"] is False
    assert len({hedged["color"]["color"], negated["color"]["color"], plain["color"]["color"]}) == 3
    assert edge_by(model, "diplomaticRelations")[0].as_vis()["arrows"] == ""
    assert plain["arrows"] == "to"


def test_node_shape_colour_and_size_follow_type_and_measure():
    options = ViewOptions(size_by="degree")
    model = build_view_model(sample_statements(), options)
    nodes = {n.key: n.as_vis(options) for n in model.nodes}
    bounds = styles()["node_size"]
    assert nodes["north-korea"]["size"] == bounds["max"]  # most partners
    assert all(bounds["min"] <= n["size"] <= bounds["max"] for n in nodes.values())
    assert nodes["kim-il-sung"]["shape"] == styles()["entity_types"]["Person"]["shape"]
    assert nodes["north-korea"]["color"] == styles()["entity_types"]["State"]["colour"]
    by_community = ViewOptions(colour_by="community")
    recoloured = {n.key: n.as_vis(by_community)["color"] for n in model.nodes}
    assert recoloured["north-korea"] == nodes["north-korea"]["kgCommunityColour"]
    assert set(nodes["ethiopia"]["kgSizes"]) == {"pagerank", "degree", "betweenness"}


def test_facets_feed_the_filters():
    facets = build_view_model(sample_statements()).facets
    assert dict(facets["relations"])["providedAid"] == 4
    assert dict(facets["sources"]) == {"a.txt": 5, "b.txt": 3}
    assert (facets["yearMin"], facets["yearMax"], facets["undated"]) == (1949, 1980, 1)
    assert dict(facets["factualities"]) == {"affirmed": 6, "hedged": 1, "negated": 1}
    assert {t["type"] for t in facets["types"]} == {"State", "Person", "Organization"}


def test_panel_records_carry_every_qualifier_and_offsets():
    model = build_view_model(sample_statements())
    record = next(r for r in model.statements if r["attributedTo"])
    assert record["attributedTo"] == "US intelligence" and record["hedged"] is True
    assert (record["source"], record["charStart"]) == ("a.txt", 100)
    aid = next(r for r in model.statements if r["quantity"] == "50")
    assert (aid["unit"], aid["kind"], aid["year"]) == ("advisers", "military", 1977)


def test_bad_options_are_refused():
    with pytest.raises(KGError):
        ViewOptions(size_by="eigenvector")
    with pytest.raises(KGError):
        ViewOptions(colour_by="rainbow")


# ---------- escaping and CSP ----------

def test_json_escaping_keeps_value_and_removes_markup_characters():
    text = json.dumps({"s": "</script><b>&\u2028\u2029"}, ensure_ascii=False)
    escaped = escape_json_text(text)
    assert not set("<>&\u2028\u2029") & set(escaped)
    assert json.loads(escaped) == json.loads(text)


def test_json_escaping_matches_a_per_character_mapping():
    mapping = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    rng = random.Random(7)
    alphabet = "<>&\u2028\u2029\\u003c\"'ab é\n"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        assert escape_json_text(text) == "".join(mapping.get(c, c) for c in text)


def test_source_text_never_appears_as_markup():
    html = render_html(build_view_model(sample_statements()), ViewOptions(title="<b>Title</b> & co"))
    assert HOSTILE_SENTENCE not in html
    assert "onerror=alert('label')" in html  # present, but only inside escaped JSON
    assert "<img src=x" not in html
    assert "<title>&lt;b&gt;Title&lt;/b&gt; &amp; co</title>" in html
    blocks = json_blocks(html)
    assert set(blocks) == {"kg-nodes", "kg-edges", "kg-options", "kg-statements", "kg-facets", "kg-config"}
    for text in blocks.values():
        assert not set("<>&") & set(text)
    sentences = [r["sentence"] for r in json.loads(blocks["kg-statements"])]
    assert HOSTILE_SENTENCE in sentences
    # the only executable scripts are vis-network and the page's own code
    executable = re.findall(r"<script>(.*?)</script>\n", html, re.S)
    assert [s[:30] for s in executable] == [
        (VENDOR / "vis-network-9.1.2.min.js").read_text(encoding="utf-8")[:30],
        (VENDOR.parent / "static" / "view.js").read_text(encoding="utf-8")[:30]]


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_content_security_policy_allows_only_the_inline_blocks():
    html = render_html(build_view_model(sample_statements()))
    csp = htmllib.unescape(
        re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1))
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp
    scripts = re.findall(r"<script>(.*?)</script>\n", html, re.S)
    styles_ = re.findall(r"<style>(.*?)</style>\n", html, re.S)
    assert len(scripts) == 2 and len(styles_) == 2
    assert set(directives["script-src"].split()) == {_sha(s) for s in scripts}
    assert set(directives["style-src"].split()) == {_sha(s) for s in styles_}


def test_no_remote_resources_in_markup():
    html = render_html(build_view_model(sample_statements()))
    assert not re.search(r"""<(?:script|link|img|iframe)[^>]*\s(?:src|href)\s*=""", html, re.I)
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "@import" not in html


def test_vendored_vis_network_is_untouched():
    expected = {
        "vis-network-9.1.2.min.js": "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69",
        "vis-network-9.1.2.css": "2e82d445ad5878ea881652470ce632601f8f55f1b99e6ebecdff8614600e6d0e",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest


# ---------- determinism, layout, writing ----------

def test_same_statements_any_order_give_byte_identical_html(tmp_path):
    statements = sample_statements()
    shuffled = statements[:]
    random.Random(3).shuffle(shuffled)
    first = write_html(statements, tmp_path / "a.html").read_bytes()
    second = write_html(shuffled, tmp_path / "b.html").read_bytes()
    assert first == second
    assert b"Date" not in first[:2000]


def test_layout_cache_is_reused(tmp_path, monkeypatch):
    options = ViewOptions(layout_cache=tmp_path / "cache")
    fresh = render_html(build_view_model(sample_statements(), options), options)
    assert len(list((tmp_path / "cache").glob("layout-*.json"))) == 1

    def fail(*args, **kwargs):
        raise AssertionError("layout recomputed despite the cache")

    monkeypatch.setattr(layout_module, "compute_positions", fail)
    cached = render_html(build_view_model(sample_statements(), options), options)
    assert cached == fresh
    uncached = ViewOptions()
    monkeypatch.undo()
    assert render_html(build_view_model(sample_statements(), uncached), uncached) == fresh


@pytest.mark.parametrize("n", [2, 3, 7, 8, 9, 64, 131])
def test_symmetric_distances_are_the_same_bits_as_hypot_of_the_whole_matrix(n):
    import numpy as np

    pos = np.random.RandomState(n).rand(n, 2)
    dx = pos[:, 0, None] - pos[None, :, 0]
    dy = pos[:, 1, None] - pos[None, :, 1]
    out = np.full((n, n), np.nan)
    bounds = [n * s // layout_module._DISTANCE_STRIPS for s in range(layout_module._DISTANCE_STRIPS + 1)]
    layout_module._symmetric_hypot(dx, dy, out, bounds)
    assert out.tobytes() == np.hypot(dx, dy).tobytes()


def test_large_graphs_get_packed_community_layout_without_physics():
    import networkx as nx

    from kg.analytics import communities_of

    graph = nx.relabel_nodes(nx.gnm_random_graph(900, 1800, seed=2), lambda i: f"n{i:04d}")
    positions = compute_positions(graph, communities_of(graph), seed=1)
    assert set(positions) == set(graph)
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in positions.values())
    assert len(set(positions.values())) > 850  # nodes are spread out, not stacked
    assert cached_positions(graph, communities_of(graph), 1) == positions
    many = [statement(entity(f"n{i}", f"N{i}"), "trade", entity(f"n{i + 1}", f"N{i + 1}"), start=i)
            for i in range(450)]
    assert build_view_model(many).physics is False
    assert build_view_model(sample_statements()).physics is True


def test_unwritable_output_is_a_coded_error(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(ViewError) as caught:
        write_view("<html></html>", tmp_path / "taken")
    assert caught.value.code == "E801"
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


# ---------- command line ----------

@pytest.fixture()
def build_dir(tmp_path):
    (tmp_path / "statements.jsonl").write_text(
        dumps_statements(sample_statements(), Settings().base_iri), encoding="utf-8")
    return tmp_path


def test_kg_view_whole_graph_and_neighbourhood(build_dir):
    runner = CliRunner()
    result = runner.invoke(view, ["--out", str(build_dir)])
    assert result.exit_code == 0, result.output
    assert (build_dir / "graph.html").is_file()
    result = runner.invoke(view, ["gdr", "--depth", "1", "--out", str(build_dir)])
    assert result.exit_code == 0, result.output
    page = (build_dir / "view-east-germany.html").read_text(encoding="utf-8")
    config = json.loads(json_blocks(page)["kg-config"])
    assert config["focus"] == "east-germany"
    keys = {n["id"] for n in json.loads(json_blocks(page)["kg-nodes"])}
    assert keys == {"east-germany", "ethiopia", "north-korea"}
    custom = build_dir / "sub" / "mine.html"
    result = runner.invoke(view, ["DPRK", "--out", str(build_dir), "--output", str(custom),
                                  "--size-by", "betweenness", "--colour-by", "community"])
    assert result.exit_code == 0 and custom.is_file()


def test_kg_view_unknown_entity_fails_with_close_matches(build_dir):
    result = CliRunner().invoke(view, ["Etiopia", "--out", str(build_dir)])
    assert result.exit_code != 0
    assert "E800" in result.output and "Ethiopia" in result.output
    assert "Traceback" not in result.output
    assert not list(build_dir.glob("*.html"))


def test_commands_need_a_build(tmp_path):
    for command in (view, analyze):
        result = CliRunner().invoke(command, ["--out", str(tmp_path / "missing")])
        assert result.exit_code != 0 and "E500" in result.output


def test_kg_analyze_formats_and_modes(build_dir):
    runner = CliRunner()
    table = runner.invoke(analyze, ["--out", str(build_dir)])
    assert table.exit_code == 0 and table.output.splitlines()[0].split()[:3] == ["rank", "key", "label"]
    rows = json.loads(runner.invoke(analyze, ["--out", str(build_dir), "--format", "json"]).output)
    assert rows[0]["key"] == "north-korea" and "hostile" not in {r["key"] for r in rows}
    with_negated = json.loads(runner.invoke(
        analyze, ["--out", str(build_dir), "--format", "json", "--include-negated"]).output)
    assert "hostile" in {r["key"] for r in with_negated}
    csv_text = runner.invoke(analyze, ["--out", str(build_dir), "--format", "csv", "--top", "2",
                                       "--sort-by", "degree"]).output
    assert csv_text.splitlines()[0] == "rank,key,label,type,degree,statements,pagerank,betweenness,community"
    assert len(csv_text.splitlines()) == 3
    partners = json.loads(runner.invoke(
        analyze, ["--out", str(build_dir), "--partners", "dprk", "--format", "json"]).output)
    assert {"relation": "providedAid", "direction": "in", "partner": "Soviet Union"}.items() <= \
        next(p for p in partners if p["partner_key"] == "soviet-union").items()
    paths = json.loads(runner.invoke(
        analyze, ["--out", str(build_dir), "--connect", "Ethiopia", "USSR", "--format", "json"]).output)
    assert paths[0]["path"] == 1 and paths[0]["from"] == "Ethiopia"
    assert any("Moscow extended credits" in p["evidence"] for p in paths)
    communities = runner.invoke(analyze, ["--out", str(build_dir), "--communities", "--format", "csv"])
    assert communities.output.startswith("community,size,members")
    clash = runner.invoke(analyze, ["--out", str(build_dir), "--communities", "--partners", "x"])
    assert clash.exit_code != 0
    unknown = runner.invoke(analyze, ["--out", str(build_dir), "--partners", "Atlantis"])
    assert unknown.exit_code != 0 and "E800" in unknown.output


def test_empty_graph_renders():
    model = build_view_model([])
    assert (model.nodes, model.edges, model.physics) == ((), (), False)
    assert model.facets["yearMin"] is None
    assert "kg-nodes" in render_html(model)


@pytest.mark.model
def test_corpus_view_is_deterministic(corpus_build, tmp_path):
    from kg.jsonl import read_statements

    statements = list(read_statements(corpus_build.out_dir / "statements.jsonl", Settings().base_iri))
    first = write_html(statements, tmp_path / "a.html", ViewOptions(layout_cache=tmp_path / "cache"))
    second = write_html(statements, tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()
    model = build_view_model(statements)
    assert sum(len(e.statement_ids) for e in model.edges) == len(
        [s for s in statements if s.subject.key != s.object.key])
