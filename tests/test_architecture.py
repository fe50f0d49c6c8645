"""The layout rules of the three apps (ARCHITECTURE.md), checked on the source so they cannot
drift: dependencies run quizzes → courses → lms with no import cycle, no app imports another
app's private names, imports sit at module level (an import inside a function hides a cycle),
``wagtail_hooks.py`` only registers, modules stay small, and ``lms/`` keeps few top-level
modules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("quizzes", "courses", "lms")
#: Each app, and the apps it may import.
MAY_IMPORT = {"quizzes": set(), "courses": {"quizzes"}, "lms": {"quizzes", "courses"}}
MAX_LINES = 400
#: Data, not code: the demo's course texts and question bank (the reference site, not an app).
DATA_FILES = {"config/demo/content.py", "config/demo/questions.py"}


def modules():
    """``{dotted name: path}`` of every module of the three apps, migrations left out."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = modules()


def _absolute(module, node):
    """The module a ``from … import`` names, made absolute."""
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module, *, top_level_only):
    """``(line, imported module, names)`` of ``module``'s imports: at module level (also inside
    ``if``/``try`` at that level), or all of them."""
    tree = ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))
    if top_level_only:
        nodes = [n for stmt in tree.body for n in ast.walk(stmt) if not _in_def(stmt, n)]
    else:
        nodes = ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            names = [alias.name for alias in node.names]
            submodules = [f"{target}.{name}" for name in names if f"{target}.{name}" in MODULES]
            if submodules:
                for sub in submodules:
                    yield node.lineno, sub, []
                rest = [name for name in names if f"{target}.{name}" not in MODULES]
                if rest:
                    yield node.lineno, target, rest
            else:
                yield node.lineno, target, names


def _in_def(stmt, node):
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        return True
    if isinstance(stmt, ast.ClassDef):
        return any(
            isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
            and node in set(ast.walk(inner))
            for inner in stmt.body
        )
    return False


def graph():
    edges = {}
    for module in MODULES:
        edges[module] = set()
        for _line, target, _names in imports(module, top_level_only=True):
            # The longest known module the import names (a name inside it, or the module).
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != module:
                edges[module].add(target)
    return edges


def test_no_import_cycles():
    edges = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


def test_dependencies_run_one_way_and_no_private_names_cross_apps():
    wrong, private = [], []
    for module in MODULES:
        app = module.split(".")[0]
        for line, target, names in imports(module, top_level_only=False):
            other = target.split(".")[0]
            if other not in APPS or other == app:
                continue
            if other not in MAY_IMPORT[app]:
                wrong.append(f"{module}:{line} imports {target}")
            hidden = [name for name in names if name.startswith("_")]
            hidden += [part for part in target.split(".") if part.startswith("_")]
            if hidden:
                private.append(f"{module}:{line} imports {target}.{hidden}")
    assert not wrong, wrong
    assert not private, private


def test_imports_are_at_module_level():
    """Except ``AppConfig.ready()``, where Django wants them (models are not loaded before)."""
    inside = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and function.name == "ready":
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    inside.append(f"{module}:{node.lineno} (in {function.name})")
    assert not inside, inside


@pytest.mark.parametrize("app", APPS)
def test_wagtail_hooks_only_register(app):
    path = ROOT / app / "wagtail_hooks.py"
    tree = ast.parse(path.read_text())
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # the docstring
        assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call), (
            f"{path}:{stmt.lineno}: only registrations belong here"
        )
        call = ast.unparse(stmt.value.func)
        assert call in {"hooks.register", "register_snippet"}, f"{path}:{stmt.lineno}: {call}"


def test_modules_stay_small():
    sources = list(MODULES.values())
    sources += [
        path
        for folder in ("config", "bench", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]
    big = {
        str(path.relative_to(ROOT)): count
        for path in sources
        if str(path.relative_to(ROOT)) not in DATA_FILES
        and (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not big, f"over {MAX_LINES} lines: {big}"


def test_lms_keeps_few_top_level_modules():
    top = sorted(path.name for path in (ROOT / "lms").glob("*.py"))
    assert len(top) <= 10, top
