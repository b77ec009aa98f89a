"""Every rule a service can refuse reaches the person as a clear message, never as a 500: each call from a
view to a service function that can raise RuleError (directly, or through a function of its own module)
sits inside a try that handles RuleError, or is handed to carry_out(), which does. Found by reading the code,
so a new view cannot forget it."""
import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
REFUSALS = {"RuleError", "AlreadySigned", "AlreadySubmitted", "AmendmentConflict", "EditConflict"}
HANDLED_BY = {"RuleError", "Exception", "BaseException"}
# Calls that run the service they are given inside a try that handles RuleError (app/web/pages.py).
GUARDS = {"carry_out"}
SERVICE_MODULES = [p for p in APP.rglob("*.py") if p.parent != APP and p.stem not in ("views", "editor", "posting",
                                                                                        "models", "forms")]
VIEW_MODULES = [p for p in APP.rglob("*.py") if p.stem in ("views", "editor", "posting")]


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(APP.parent).with_suffix("").parts)


def _refusing_functions() -> dict[str, set[str]]:
    """Module name → names of its top-level functions that can raise a refusal."""
    found: dict[str, set[str]] = {}
    trees = {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in SERVICE_MODULES}
    for _round in range(4):  # refusals through calls, to a few levels
        for module, tree in trees.items():
            for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
                if function.name in found.get(module, set()):
                    continue
                for node in ast.walk(function):
                    raised = isinstance(node, ast.Raise) and node.exc is not None and _callee(node.exc) in REFUSALS
                    called = isinstance(node, ast.Call) and (
                        _callee(node) in found.get(module, set())
                        or any(_callee(node) in names for other, names in found.items() if other != module))
                    if raised or called:
                        found.setdefault(module, set()).add(function.name)
                        break
    return found


def _callee(node) -> str | None:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def _handled(handlers) -> bool:
    for handler in handlers:
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(_callee(t) in HANDLED_BY for t in types if t is not None):
            return True
    return False


def _imported(tree, refusing: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """The refusing modules and functions a view module imports: local name → module, for "from app.x import
    services as y" and for "from app.x.services import f"."""
    aliases: dict[str, str] = {}
    functions: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            for alias in node.names:
                if f"{node.module}.{alias.name}" in refusing:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif alias.name in refusing.get(node.module, set()):
                    functions[alias.asname or alias.name] = node.module
    return aliases, functions


def _refusing_call(call: ast.Call, refusing, aliases, functions) -> str | None:
    """The call as written, when it calls a function that can refuse."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in aliases \
            and func.attr in refusing[aliases[func.value.id]]:
        return f"{func.value.id}.{func.attr}()"
    if isinstance(func, ast.Name) and func.id in functions:
        return f"{func.id}()"
    return None


class _Scan:
    """One view module read: the calls that can refuse outside a guard, and whether each call to a helper of
    the module is guarded (a helper handed to a guard is called guarded)."""

    def __init__(self, path: Path, refusing: dict[str, set[str]]):
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.name = path.relative_to(APP.parent) if path.is_relative_to(APP.parent) else path.name
        self.refusing = refusing
        self.aliases, self.functions = _imported(self.tree, refusing)
        self.helpers = {n.name for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self.found: list[tuple[str, str]] = []  # (enclosing top-level function, the call)
        self.local_calls: dict[str, list[bool]] = {}  # a helper of this module → whether each call is guarded

    def visit(self, node, guarded: bool, within: str) -> None:
        if isinstance(node, ast.FunctionDef) and node in self.tree.body:
            within = node.name
        if isinstance(node, ast.Try):
            for child in node.body:
                self.visit(child, guarded or _handled(node.handlers), within)
            for child in node.handlers + node.orelse + node.finalbody:
                self.visit(child, guarded, within)
            return
        if isinstance(node, ast.Call):
            guarded = self.note(node, guarded, within)
        for child in ast.iter_child_nodes(node):
            self.visit(child, guarded, within)

    def note(self, call: ast.Call, guarded: bool, within: str) -> bool:
        """Note the call; returns whether what it is given runs guarded."""
        if isinstance(call.func, ast.Name) and call.func.id in self.helpers:
            self.local_calls.setdefault(call.func.id, []).append(guarded)
        if _callee(call) in GUARDS:
            given = call.args[0] if call.args else None
            if isinstance(given, ast.Name) and given.id in self.helpers:
                self.local_calls.setdefault(given.id, []).append(True)
            return True
        written = None if guarded else _refusing_call(call, self.refusing, self.aliases, self.functions)
        if written:
            self.found.append((within, f"{self.name}:{call.lineno} {written}"))
        return guarded

    def unguarded(self) -> list[str]:
        self.visit(self.tree, False, "")
        calls = self.local_calls
        # A call inside a helper of the view module is fine when every call to that helper is guarded.
        return [line for within, line in self.found if not (calls.get(within) and all(calls[within]))]


def _unguarded_calls(path: Path, refusing: dict[str, set[str]]) -> list[str]:
    return _Scan(path, refusing).unguarded()


def test_every_refusal_a_view_can_meet_is_handled():
    refusing = _refusing_functions()
    assert sum(len(v) for v in refusing.values()) > 40  # the scan sees the services it should
    unguarded = [line for path in VIEW_MODULES for line in _unguarded_calls(path, refusing)]
    assert not unguarded, "service calls that can refuse, outside a try that handles RuleError:\n" + \
        "\n".join(unguarded)


def test_the_scan_finds_an_unguarded_call_and_accepts_a_guarded_one(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("from app.comments import services\nfrom app.errors import RuleError\n\n"
                    "def delete():\n    services.delete_comment(1, 2)\n\n"
                    "def guarded():\n    try:\n        services.delete_comment(1, 2)\n"
                    "    except RuleError:\n        pass\n\n"
                    "def carried():\n    carry_out(services.delete_comment, 1, 2)\n"
                    "    carry_out(lambda: services.delete_comment(1, 2))\n    carry_out(_helper, 1)\n\n"
                    "def _helper(comment):\n    services.delete_comment(1, comment)\n")
    assert _unguarded_calls(view, _refusing_functions()) == ["views.py:5 services.delete_comment()"]
