"""The layering contract, read from the source: no import cycles, and each layer imports only downwards.

Imports inside functions count (they cycle at run time all the same); imports under
`if TYPE_CHECKING:` do not (they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "watcher"

# Lower layers never import higher ones. Within a layer, any import that makes no cycle.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("version", ("watcher",)),  # the package's __init__: its version, nothing else
    ("domain", ("watcher.domain",)),
    ("sources and files", (
        "watcher.text", "watcher.format", "watcher.paths", "watcher.keys", "watcher.toml_errors",
        "watcher.schemas", "watcher.config", "watcher.validated", "watcher.store", "watcher.quotes",
        "watcher.sec", "watcher.sec_contact", "watcher.file_watch", "watcher.alerting",
        "watcher.fundamentals", "watcher.state", "watcher.recorder",
    )),
    ("session", (
        "watcher.feed", "watcher.session", "watcher.fx", "watcher.config_change", "watcher.headless", "watcher.startup",
        "watcher.cli_commands", "watcher.cli_fundamentals",
    )),
    ("widgets", ("watcher.widgets", "watcher.themes", "watcher.theme_choice")),
    ("screens", ("watcher.screens", "watcher.messages")),
    ("app", ("watcher.app", "watcher.commands")),
    ("command line", ("watcher.__main__",)),
)
# Layers that must run without Textual: the pure core, the sources and files, the session.
TEXTUAL_FREE = ("version", "domain", "sources and files", "session")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: str) -> Iterator[str]:
    """Every module named by an import that runs, with relative imports resolved."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from (name for child in node.orelse for name in _imports(ast.Module([child], []), package))
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            # `from watcher import paths` imports the module watcher.paths.
            yield from (f"{base}.{alias.name}" for alias in node.names)
        else:
            yield from _imports(node, package)


def import_graph(package_dir: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the modules of the package it imports."""
    files = {module_name(path): path for path in package_dir.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        named = set(_imports(ast.parse(path.read_text("utf-8")), package))
        graph[name] = {other for other in named if other in files and other != name}
    return graph


def external_imports(name: str) -> set[str]:
    path = next(p for p in PACKAGE.rglob("*.py") if module_name(p) == name)
    return {n.split(".")[0] for n in _imports(ast.parse(path.read_text("utf-8")), name)}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_of(name: str) -> int:
    best, rank = -1, -1
    for position, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inside = name == prefix or (prefix != "watcher" and name.startswith(prefix + "."))
            if inside and len(prefix) > best:
                best, rank = len(prefix), position
    return rank


GRAPH = import_graph()


def test_the_graph_is_read() -> None:
    # Known edges, so an empty or wrong graph cannot pass the checks below.
    assert "watcher.session" in GRAPH["watcher.app"]
    assert "watcher.domain.quote" in GRAPH["watcher.feed"]
    assert "watcher.paths" in GRAPH["watcher.startup"]  # `from watcher import paths`


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_has_a_layer() -> None:
    assert [name for name in GRAPH if layer_of(name) < 0] == []


def upward(graph: Mapping[str, set[str]], name: str) -> list[str]:
    """What `name` imports from a layer above its own."""
    return sorted(other for other in graph[name] if layer_of(other) > layer_of(name))


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_go_down_the_layers(name: str) -> None:
    assert upward(GRAPH, name) == [], f"{name} ({LAYERS[layer_of(name)][0]}) imports a higher layer"


def test_the_domain_imports_nothing_of_ours_but_itself() -> None:
    for name, imported in GRAPH.items():
        if LAYERS[layer_of(name)][0] == "domain":
            assert all(other.startswith("watcher.domain") or other == "watcher" for other in imported), name


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if LAYERS[layer_of(n)][0] in TEXTUAL_FREE))
def test_the_core_imports_no_textual(name: str) -> None:
    assert "textual" not in external_imports(name)


def test_the_layer_check_would_see_an_upward_import() -> None:
    planted = {**GRAPH, "watcher.session": GRAPH["watcher.session"] | {"watcher.app"},
               "watcher.domain.quote": {"watcher.quotes.yahoo"}}
    assert upward(planted, "watcher.session") == ["watcher.app"]
    assert upward(planted, "watcher.domain.quote") == ["watcher.quotes.yahoo"]
    assert upward(GRAPH, "watcher.app") == []  # the app may import the session
