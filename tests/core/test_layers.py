"""Layers run one way: trainingcenter -> accounts -> careers -> programs.

Every module's imports are read with `ast` (function-level imports too, so a loop cannot
hide inside a function): an app imports only its own layer and the ones below it, never
the project package, and no chain of imports between the project's modules comes back
to where it started."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Top first: a package may import the ones after it, never the ones before it.
LAYERS = ("trainingcenter", "accounts", "careers", "programs")
APPS = LAYERS[1:]


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    modules = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imported_names(name, path):
    """Every dotted name the module imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            yield from (f"{source}.{alias.name}" for alias in node.names)


def import_graph():
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path):
            # `from careers import views` names a module; `from careers.models import Role`
            # names its module: keep the longest dotted prefix that is a project module.
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def layer(module):
    return LAYERS.index(module.split(".")[0])


def test_the_graph_sees_the_apps_and_their_imports():
    graph = import_graph()
    assert "careers.views" in graph
    assert "programs.models" in graph["careers.catalog"]
    assert "programs.models" in graph["careers.models"]
    assert "programs.signals" in graph["programs.apps"]  # a function-level import


def test_each_app_imports_only_its_own_layer_and_the_ones_below():
    upward = sorted(
        (source, target)
        for source, targets in import_graph().items()
        for target in targets
        if layer(target) < layer(source)
    )
    assert upward == []


def test_no_app_imports_the_project_package_and_programs_never_imports_careers():
    graph = import_graph()
    for source, targets in graph.items():
        top = source.split(".")[0]
        for target in targets:
            if top in APPS:
                assert not target.startswith("trainingcenter"), (source, target)
            if top == "programs":
                assert not target.startswith(("careers", "accounts")), (source, target)


def find_cycle(graph):
    """One import loop as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_loop_between_modules():
    assert find_cycle(import_graph()) is None


def test_the_loop_finder_finds_a_loop():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
