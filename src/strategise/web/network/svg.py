"""The network drawn as an accessible SVG, on the server: networkx lays it out (a spring
layout with a fixed seed, so the same network is drawn the same way every time) and the
template draws it, each node labelled and titled, with the same network in tables below.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from strategise.network.selectors import Network

WIDTH, HEIGHT, MARGIN = 720, 480, 70
SEED = 13
ONE_ENTITY = "person, place, vehicle or online account"
ENTITIES = "people, places, vehicles and online accounts"

SHAPES = {
    "child": "circle",
    "person": "circle",
    "place": "square",
    "vehicle": "diamond",
    "account": "hexagon",
}


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    kind_name: str
    x: float
    y: float
    risk: str = ""

    @property
    def shape(self) -> str:
        return SHAPES[self.kind]


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    tie: bool = False


@dataclass(frozen=True)
class Drawing:
    nodes: list[Node]
    edges: list[Edge]
    description: str
    width: int = WIDTH
    height: int = HEIGHT


def _scaled(positions: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        key: (
            round(MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1),
            round(MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN), 1),
        )
        for key, (x, y) in positions.items()
    }


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def drawing(network: Network) -> Drawing:
    """Where each child, entity and link goes, and a description of the whole."""
    graph = nx.Graph()
    shown = {child.pk for child in network.children}
    # A peer who is one of the children drawn is drawn once, as that child.
    node = {
        entity.pk: f"c{entity.child_id}" if entity.child_id in shown else f"e{entity.pk}"
        for entity in network.entities
    }
    drawn = [entity for entity in network.entities if node[entity.pk].startswith("e")]
    for child in network.children:
        graph.add_node(f"c{child.pk}")
    for entity in drawn:
        graph.add_node(node[entity.pk])
    for link in network.links:
        graph.add_edge(f"c{link.child_id}", node[link.entity_id])
    for thing, person in network.ties:
        graph.add_edge(node[thing.pk], node[person.pk])
    if graph.number_of_nodes() == 1:
        positions = {next(iter(graph.nodes)): (WIDTH / 2, HEIGHT / 2)}
    else:
        laid = nx.spring_layout(graph, seed=SEED, k=1.2)
        positions = _scaled({key: (float(x), float(y)) for key, (x, y) in laid.items()})
    nodes = [
        Node(f"c{child.pk}", child.full_name, "child", "Child", *positions[f"c{child.pk}"])
        for child in network.children
    ] + [
        Node(
            node[entity.pk],
            entity.label,
            entity.kind,
            "Peer (a child or young person)" if entity.is_peer else entity.get_kind_display(),
            *positions[node[entity.pk]],
            risk=entity.get_safety_display() if entity.safety else "",
        )
        for entity in drawn
    ]
    edges = [
        Edge(
            *positions[f"c{link.child_id}"],
            *positions[node[link.entity_id]],
            label=f"{link.child.full_name}: {link.get_kind_display().lower()} {link.entity.label}",
        )
        for link in network.links
    ] + [
        Edge(
            *positions[node[thing.pk]],
            *positions[node[person.pk]],
            label=f"{thing.label} is used by {person.label}",
            tie=True,
        )
        for thing, person in network.ties
    ]
    description = (
        f"{_count(len(network.children), 'child', 'children')}, "
        f"{_count(len(drawn), ONE_ENTITY, ENTITIES)}"
        f", and {_count(len(network.links), 'link', 'links')}. The same network is in the "
        "tables below the drawing."
    )
    return Drawing(nodes=nodes, edges=edges, description=description)
