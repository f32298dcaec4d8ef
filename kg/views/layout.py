"""Node positions computed in Python, seeded and cached, so big views open without physics.

Headless Chromium with software rendering never settles vis-network's physics on thousands of
nodes (shared/notes/measured-here.md), and networkx's sparse spring layout takes minutes at that
size. So: a dense, vectorised Fruchterman-Reingold for graphs up to a few hundred nodes; above
that, Louvain communities are laid out one by one and packed as discs side by side, which costs
the sum of the squared community sizes instead of the square of the whole graph.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import numpy as np

LAYOUT_VERSION = "fr-packed-2"  # part of the cache key: bump when the algorithm changes
DIRECT_LAYOUT_MAX_NODES = 600
# above this a community's dense layout gets fewer iterations, bounding time and memory
DENSE_COMFORT_NODES = 1200
NODE_SPACING = 70.0  # pixels between neighbouring nodes in vis-network's coordinates

Positions = dict[str, tuple[float, float]]
# strips of rows the symmetric distance matrix is computed in: the strips on the diagonal are
# computed whole, so more strips compute less twice (8: 56 % of the matrix) at more numpy calls
_DISTANCE_STRIPS = 8


def _fruchterman_reingold(graph: nx.Graph, nodes: Sequence[str], seed: int, iterations: int) -> np.ndarray:
    """Dense Fruchterman-Reingold in the unit square; returns an (n, 2) array in node order."""
    n = len(nodes)
    rng = np.random.RandomState(seed)
    pos = rng.rand(n, 2)
    if n <= 1:
        return np.zeros((n, 2))
    index = {key: i for i, key in enumerate(nodes)}
    adjacency = np.zeros((n, n))
    for u, v, w in graph.subgraph(nodes).edges(data="weight", default=1):
        # log damping: one pair backed by fifty statements should not collapse onto itself
        adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1 + math.log(w)
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    # x and y kept apart as (n, n) arrays, updated in place: no (n, n, 2) temporaries per step
    # (a third of the time at 500 nodes)
    attraction = adjacency / k
    dx, dy, distance, force = (np.empty((n, n)) for _ in range(4))
    bounds = [n * s // _DISTANCE_STRIPS for s in range(_DISTANCE_STRIPS + 1)]
    for _ in range(iterations):
        np.subtract(pos[:, 0, None], pos[None, :, 0], out=dx)
        np.subtract(pos[:, 1, None], pos[None, :, 1], out=dy)
        _symmetric_hypot(dx, dy, distance, bounds)
        np.clip(distance, 0.01, None, out=distance)
        np.divide(k * k, distance * distance, out=force)
        force -= attraction * distance
        displacement = np.stack([(dx * force).sum(axis=1), (dy * force).sum(axis=1)], axis=1)
        length = np.sqrt((displacement ** 2).sum(axis=-1))
        np.clip(length, 0.01, None, out=length)
        pos += displacement * (temperature / length)[:, None]
        temperature -= cooling
    return pos


def _symmetric_hypot(dx: np.ndarray, dy: np.ndarray, out: np.ndarray, bounds: Sequence[int]) -> None:
    """``np.hypot(dx, dy, out=out)`` for antisymmetric ``dx`` and ``dy``, computed on the upper
    triangle (by strips of rows) and mirrored.

    hypot is most of the layout's time (0.45 of 0.55 s at 485 nodes); the distances are exactly
    symmetric (a - b is exactly -(b - a) in floating point and hypot ignores signs), so the
    mirrored values are the very same bits as computing them all.
    """
    for start, end in zip(bounds, bounds[1:]):
        np.hypot(dx[start:end, start:], dy[start:end, start:], out=out[start:end, start:])
        out[end:, start:end] = out[start:end, end:].T


def _normalised(pos: np.ndarray) -> np.ndarray:
    """Centred on the origin, inside the unit disc."""
    if len(pos) == 0:
        return pos
    pos = pos - pos.mean(axis=0)
    radius = float(np.sqrt((pos ** 2).sum(axis=-1)).max())
    return pos / radius if radius > 0 else pos


def _iterations_for(n: int) -> int:
    if n <= DENSE_COMFORT_NODES:
        return 60
    return max(12, int(60 * (DENSE_COMFORT_NODES / n) ** 2))


def _packed_communities(graph: nx.Graph, communities: Sequence[Sequence[str]], seed: int) -> Positions:
    """Each community laid out alone, then packed as discs in rows, largest first."""
    discs = []
    for i, members in enumerate(communities):
        nodes = sorted(members)
        local = _normalised(_fruchterman_reingold(graph, nodes, seed + i, _iterations_for(len(nodes))))
        radius = NODE_SPACING * max(0.5, math.sqrt(len(nodes)) * 0.6)
        discs.append((nodes, local * radius, radius))
    total_area = sum((2 * r) ** 2 for _, _, r in discs)
    row_width = max(math.sqrt(total_area), max((2 * r for _, _, r in discs), default=0))
    positions: Positions = {}
    x = y = row_height = 0.0
    gap = NODE_SPACING
    for nodes, local, radius in discs:
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        centre = (x + radius, y + radius)
        for key, (dx, dy) in zip(nodes, local):
            positions[key] = (centre[0] + float(dx), centre[1] + float(dy))
        x += 2 * radius + gap
        row_height = max(row_height, 2 * radius)
    return positions


def compute_positions(graph: nx.Graph, communities: Sequence[Sequence[str]], seed: int = 42) -> Positions:
    """Positions in vis-network pixels, rounded so cached and fresh layouts are byte-identical."""
    nodes = sorted(graph)
    if len(nodes) <= DIRECT_LAYOUT_MAX_NODES:
        raw = _normalised(_fruchterman_reingold(graph, nodes, seed, 80))
        scale = NODE_SPACING * max(1.0, math.sqrt(len(nodes))) * 0.8
        positions = {key: (float(px) * scale, float(py) * scale) for key, (px, py) in zip(nodes, raw)}
    else:
        covered = {key for members in communities for key in members}
        # nodes the communities do not know (should not happen) get a community each
        groups = [list(c) for c in communities] + [[key] for key in nodes if key not in covered]
        positions = _packed_communities(graph, groups, seed)
    return {key: (round(px, 1), round(py, 1)) for key, (px, py) in sorted(positions.items())}


def layout_fingerprint(graph: nx.Graph, communities: Sequence[Sequence[str]], seed: int) -> str:
    payload = json.dumps({
        "version": LAYOUT_VERSION,
        "seed": seed,
        "nodes": sorted(graph),
        "edges": sorted([*sorted((u, v)), w] for u, v, w in graph.edges(data="weight", default=1)),
        "communities": [sorted(c) for c in communities],
    }, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def cached_positions(graph: nx.Graph, communities: Sequence[Sequence[str]], seed: int = 42,
                     cache_dir: Path | None = None) -> Positions:
    """``compute_positions``, reusing an earlier result for the very same graph when cached."""
    if cache_dir is None:
        return compute_positions(graph, communities, seed)
    path = Path(cache_dir) / f"layout-{layout_fingerprint(graph, communities, seed)}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {key: (float(x), float(y)) for key, (x, y) in stored.items()}
    except (OSError, ValueError, TypeError):
        pass  # no cache yet, or a damaged one: compute again
    positions = compute_positions(graph, communities, seed)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename, so an interrupted run never leaves half a cache file behind
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         suffix=".tmp") as fh:
            json.dump({k: list(v) for k, v in positions.items()}, fh, separators=(",", ":"))
        os.replace(fh.name, path)
    except OSError:
        pass  # a read-only build folder only costs the cache
    return positions
