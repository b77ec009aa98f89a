"""The house rules that a reader of the code relies on: every module under app/ sits in one layer and imports
only from its own layer or those below it; imports between areas point one way (no cycle); no area reaches
into another area's views; no module under app/ grows past 400 lines; and imports sit at the top of modules
(an app import inside a function is only for create_app's wiring, never to dodge a cycle).

The layers, from the bottom (docs/architecture.md):
  base    — the modules at app/'s root: configuration, extension objects, database helpers, time, choices,
            markup, formatting, links, tokens, permissions. They import no area.
  domain  — each area's models, services, queries, signals and receivers.
  web     — app/web: view helpers, security, caching, forms' base, error pages.
  views   — each area's views and forms (and the view modules named in VIEW_MODULES).
  top     — what wires or summarises everything: app/__init__.py, app/models.py, app/cli, app/demo, app/home.
"""
import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
LAYERS = ("base", "domain", "web", "views", "top")
TOP_PACKAGES = {"home", "cli", "demo"}
TOP_MODULES = {"app", "app.models"}
# Modules of an area that belong to the views layer besides views.py and forms.py: they handle requests.
VIEW_MODULES = {"app.declarations.editor", "app.comments.posting", "app.accounts.second_factor",
                "app.accounts.buckets", "app.declarations.translating", "app.documents.uploads"}
AREAS = sorted(p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()
               and p.name not in TOP_PACKAGES | {"web"})
MAX_LINES = 400
# Imports inside functions that are allowed, and why.
INNER_IMPORTS = {
    "app/__init__.py": "create_app wires the blueprints, receivers and CLI of every area",
}


def _layer(module: str) -> str:
    """The layer of a module under app/ ('app.signatures.services' → 'domain'); an imported name
    ('app.signatures.queries.signers_told') has the layer of its module."""
    parts = module.split(".")
    if module in TOP_MODULES or (len(parts) > 1 and parts[1] in TOP_PACKAGES):
        return "top"
    if len(parts) > 1 and parts[1] == "web":
        return "web"
    if len(parts) > 1 and parts[1] in AREAS:
        if len(parts) > 2 and (parts[2] in ("views", "forms") or ".".join(parts[:3]) in VIEW_MODULES):
            return "views"
        return "domain"
    return "base"


def _module_name(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _modules():
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP.parent)
        yield relative.as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _area(module: str) -> str | None:
    """'app.signatures.services' → 'signatures'; modules outside an area package (app.web.pages, …) → None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 and parts[1] in AREAS else None


def _imports(tree):
    """(module imported, line, inside a function) for every import of an app module."""
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner.update(id(child) for child in ast.walk(node) if isinstance(child, (ast.Import, ast.ImportFrom)))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            for alias in node.names:  # "from app.signatures import queries" imports app.signatures.queries
                yield f"{node.module}.{alias.name}", node.lineno, id(node) in inner
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("app"):
                    yield alias.name, node.lineno, id(node) in inner


def _area_graph() -> dict[str, dict[str, list[str]]]:
    graph: dict[str, dict[str, list[str]]] = {area: {} for area in AREAS}
    for path, tree in _modules():
        source = _area(path.removesuffix(".py").replace("/", "."))
        for module, line, _inner in _imports(tree):
            target = _area(module)
            if source and target and target != source:
                graph[source].setdefault(target, []).append(f"{path}:{line} imports {module}")
    return graph


def _cycles(graph) -> list[list[str]]:
    found, state = [], {}

    def visit(area, trail):
        state[area] = "open"
        for target in sorted(graph[area]):
            if state.get(target) == "open":
                found.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[area] = "done"

    for area in AREAS:
        if area not in state:
            visit(area, [area])
    return found


def test_imports_between_areas_form_no_cycle():
    graph = _area_graph()
    cycles = _cycles(graph)
    explained = []
    for cycle in cycles:
        explained.append(" → ".join(cycle))
        explained += ["    " + graph[a][b][0] for a, b in zip(cycle, cycle[1:], strict=False)]
    assert not cycles, "import cycles between areas:\n" + "\n".join(explained)


def test_declarations_know_nothing_of_the_areas_built_on_them():
    graph = _area_graph()
    for later in ("signatures", "submissions", "responses", "comments", "amendments", "notifications", "search"):
        assert later not in graph["declarations"], graph["declarations"].get(later)


def test_no_area_imports_another_areas_views():
    offending = []
    for path, tree in _modules():
        source = _area(path.removesuffix(".py").replace("/", "."))
        for module, line, _inner in _imports(tree):
            parts = module.split(".")
            if len(parts) >= 3 and parts[2] == "views" and _area(module) not in (None, source) \
                    and path != "app/__init__.py":
                offending.append(f"{path}:{line} imports {module}")
    assert not offending, offending


def _upward_imports(modules) -> list[str]:
    found = []
    for path, tree in modules:
        source = _layer(_module_name(path))
        for module, line, _inner in _imports(tree):
            target = _layer(module)
            if LAYERS.index(target) > LAYERS.index(source):
                found.append(f"{path}:{line} ({source}) imports {module} ({target})")
    return found


def test_every_module_imports_only_its_own_layer_or_below():
    upward = _upward_imports(_modules())
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_every_module_has_a_layer_and_the_check_sees_an_upward_import():
    layers = {_module_name(path): _layer(_module_name(path)) for path, _tree in _modules()}
    assert {"base", "domain", "web", "views", "top"} == set(layers.values())
    assert layers["app.permissions"] == "base" and layers["app.web.pages"] == "web"
    assert layers["app.signatures.services"] == "domain" and layers["app.signatures.views"] == "views"
    assert layers["app.home.views"] == "top" and layers["app"] == "top"
    bad = ast.parse("from app.accounts.models import User\nfrom app.web.security import safe_next\n")
    assert _upward_imports([("app/permissions.py", bad)]) == [
        "app/permissions.py:1 (base) imports app.accounts.models.User (domain)",
        "app/permissions.py:2 (base) imports app.web.security.safe_next (web)"]
    assert _upward_imports([("app/accounts/services.py", bad)]) == [
        "app/accounts/services.py:2 (domain) imports app.web.security.safe_next (web)"]


def test_signal_receivers_live_in_receivers_modules():
    """A receiver connected anywhere else is hidden from a reader of the area (and from create_app)."""
    hidden = []
    for path, tree in _modules():
        if path.endswith("/receivers.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Attribute) and decorator.attr == "connect":
                        hidden.append(f"{path}:{node.lineno} {node.name}")
    assert not hidden, hidden


def test_no_module_is_longer_than_400_lines():
    lengths = {path: len((APP.parent / path).read_text(encoding="utf-8").splitlines()) for path, _tree in _modules()}
    assert not {path: n for path, n in lengths.items() if n > MAX_LINES}


def test_imports_sit_at_the_top_of_modules():
    inner = [f"{path}:{line} imports {module}" for path, tree in _modules() if path not in INNER_IMPORTS
             for module, line, is_inner in _imports(tree) if is_inner]
    assert not inner, "import inside a function (move it to the top, or explain it in INNER_IMPORTS):\n" + \
        "\n".join(inner)


def test_the_check_finds_a_cycle():
    """The cycle finder itself: a graph with a cycle is caught."""
    global AREAS
    graph = {"a": {"b": ["x"]}, "b": {"c": ["y"]}, "c": {"a": ["z"]}}
    saved, AREAS = AREAS, ["a", "b", "c"]
    try:
        assert _cycles(graph) == [["a", "b", "c", "a"]]
    finally:
        AREAS = saved
