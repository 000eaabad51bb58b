"""Rows are read by name outside `repo/`: no `row[8]` that silently reads the wrong column once a
query's column list changes.

An AST scan of `src/tieline` (outside `repo/`, `db.py` and `migrations/`) reports, as file:line:

- a subscript by an integer constant (`r[8]`, `row[-1]`) of a name that reads as a row: `row`,
  `r`, `rec`, `record`, `result`, or a name ending in `_row` (a variable or a parameter; a lambda's
  parameter only as below, since it holds whatever its caller passes);
- a subscript by an integer constant, or a slice by them (`p[1:]`), of a variable, whatever its
  name, that holds a row of query results: the target of a loop (a `for` or a comprehension) over
  them, or the parameter of a lambda that is the `key=` of `sorted`, `min`, `max` or `.sort` over
  them. Query results are a call of `.execute()`, `.fetchall()`, `.fetchmany()` or `.all()`, a
  call of a repo function (`graph_repo.live_people(...)`, whatever `tieline.repo` module or
  function is imported as), `list()`/`sorted()`/a slice of one of those, or a name assigned one
  of those in the same function (followed through filters such as `[r for r in rows if ...]`);
- the same subscript of a name assigned one row: `.first()`, `.one()`, `.one_or_none()`, `.fetchone()`;
- a loop over query results that unpacks each row into more than four names, and `a, b, c, d, e =
  row`: the order is as implicit as in `row[4]`, only spelled differently.

Local tuples a module builds for itself (`rows[:] = [(base + n, *row[1:]) ...]` in the demo
generator, `key=lambda r: (r[2], r[0])` over tuples made two lines up) are not query rows; the
rule leaves them alone on purpose, so that a hit always means a query's column order is relied on.

Subscripts by a string (`row["id"]`, a mapping) and attribute access (`row.id`) are named access.
The scanner is itself tested on deliberate violations, so a clean tree means a working scan.
`NOT_YET_NAMED` would list a read left by position with its reason; it is empty.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tieline"
# Where rows are made: the repo layer (which names them), the engine, schema migrations.
ROW_HOMES = ("repo/", "db.py", "migrations/")
ROW_NAMES = frozenset({"row", "r", "rec", "record", "result"})
# Methods whose result is rows of a query, and those whose result is one row.
ROWS_METHODS = frozenset({"execute", "fetchall", "fetchmany", "all"})
ONE_ROW_METHODS = frozenset({"first", "one", "one_or_none", "fetchone"})
# Built-ins that keep rows rows: list(rows), sorted(rows), ...
ROWS_KEEPERS = frozenset({"list", "sorted", "tuple", "reversed", "set"})
MAX_UNPACKED = 4  # a loop may unpack a row of up to this many columns by position
Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef
# (file under src/tieline, the read) -> why it is still read by position. Empty, and meant to stay so.
NOT_YET_NAMED: dict[tuple[str, str], str] = {}


def _is_repo(module: str | None) -> bool:
    return module is not None and (module == "tieline.repo" or module.startswith("tieline.repo."))


def reads_as_row(name: str) -> bool:
    """A variable name that says it holds one row."""
    return name in ROW_NAMES or name.endswith("_row")


def _index(node: ast.expr) -> bool:
    """An integer constant: `8`, `-1`."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _index_or_slice(node: ast.expr) -> bool:
    """An integer constant, or a slice whose bounds are integer constants (`1:`, `:-1`)."""
    if isinstance(node, ast.Slice):
        bounds = [b for b in (node.lower, node.upper, node.step) if b is not None]
        return bool(bounds) and all(_index(b) for b in bounds)
    return _index(node)


def _own_nodes(scope: Scope) -> Iterator[ast.AST]:
    """Every node of a function (or module) but those of the functions in it: scopes of their own."""
    todo: list[ast.AST] = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            todo.extend(ast.iter_child_nodes(node))


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


class _Module:
    """What one module binds to the repo layer, and the hits found in it."""

    def __init__(self, tree: ast.Module) -> None:
        self.repo_names: set[str] = set()  # names bound to a tieline.repo module or function
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "tieline":
                self.repo_names |= {a.asname or a.name for a in node.names if a.name == "repo"}
            elif isinstance(node, ast.ImportFrom) and _is_repo(node.module):
                self.repo_names |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if _is_repo(alias.name):
                        self.repo_names.add(alias.asname or alias.name.split(".")[0])
        # A lambda's parameter holds what its caller passes: read as a row only as a key over rows.
        self.lambda_params: set[int] = set()  # ids of subscripts of a lambda's own parameter
        for node in ast.walk(tree):
            if isinstance(node, ast.Lambda):
                params = {a.arg for a in node.args.args}
                self.lambda_params |= {
                    id(n)
                    for n in ast.walk(node.body)
                    if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id in params
                }
        self.hits: set[tuple[int, int, str]] = set()

    def hit(self, node: ast.AST, what: str) -> None:
        self.hits.add((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), what))

    def rows_call(self, node: ast.expr) -> bool:
        """A call whose result is the rows of a query, or that hands back a repo function's result."""
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ROWS_METHODS:
            return True
        root = _root(func)
        return isinstance(root, ast.Name) and root.id in self.repo_names


class _Scope:
    """One function (or the module's top level): names holding rows, and loops over them."""

    def __init__(self, module: _Module, scope: Scope, outer: _Scope | None = None) -> None:
        self.module = module
        self.nodes = list(_own_nodes(scope))
        # Names holding a list (or iterator) of rows, and a single row; a nested function sees its
        # enclosing function's.
        self.rows: set[str] = set(outer.rows) if outer else set()
        self.one_row: set[str] = set(outer.one_row) if outer else set()
        assignments = [
            (node.targets[0].id, node.value)
            for node in self.nodes
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ] + [
            (node.target.id, node.value)
            for node in self.nodes
            if isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ]
        changed = True
        while changed:  # `rows = repo(...)`, then `strong = [r for r in rows if ...]`, then ...
            changed = False
            for name, value in assignments:
                if name not in self.rows and self.holds_rows(value):
                    self.rows.add(name)
                    changed = True
        for name, value in assignments:
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr in ONE_ROW_METHODS
            ):
                self.one_row.add(name)

    def holds_rows(self, node: ast.expr) -> bool:
        """An expression whose value is rows of a query."""
        if isinstance(node, ast.Name):
            return node.id in self.rows
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            return self.holds_rows(node.value)
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in ROWS_KEEPERS and node.args:
                return self.holds_rows(node.args[0])
            return self.module.rows_call(node)
        if isinstance(node, ast.ListComp | ast.GeneratorExp):  # [r for r in rows if ...] filters rows
            first = node.generators[0]
            return (
                len(node.generators) == 1
                and isinstance(node.elt, ast.Name)
                and isinstance(first.target, ast.Name)
                and node.elt.id == first.target.id
                and self.holds_rows(first.iter)
            )
        return False

    def row_bindings(self) -> Iterator[tuple[ast.expr, ast.expr, list[ast.AST]]]:
        """(target, what it takes its values from, where it is visible) of every loop in the scope,
        and of every lambda that is a sort or pick key (its parameter takes the sequence's items)."""
        for node in self.nodes:
            if isinstance(node, ast.For | ast.AsyncFor):
                yield node.target, node.iter, [*node.body, *node.orelse]
            elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                results = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
                for i, generator in enumerate(node.generators):
                    later = [*generator.ifs, *node.generators[i + 1 :], *results]
                    yield generator.target, generator.iter, later
            elif isinstance(node, ast.Call):
                key = next((k.value for k in node.keywords if k.arg == "key"), None)
                if not isinstance(key, ast.Lambda) or not key.args.args:
                    continue
                param = ast.Name(key.args.args[0].arg, lineno=key.lineno, col_offset=key.col_offset)
                func = node.func
                if isinstance(func, ast.Name) and func.id in ("sorted", "min", "max") and node.args:
                    yield param, node.args[0], [key.body]
                elif isinstance(func, ast.Attribute) and func.attr == "sort":
                    yield param, func.value, [key.body]

    def scan(self) -> None:
        module = self.module
        for target, source, visible in self.row_bindings():
            if not self.holds_rows(source):
                continue
            if isinstance(target, ast.Name):
                for node in (n for v in visible for n in ast.walk(v)):
                    if (
                        isinstance(node, ast.Subscript)
                        and isinstance(node.value, ast.Name)
                        and node.value.id == target.id
                        and _index_or_slice(node.slice)
                    ):
                        module.hit(node, f"{ast.unparse(node)}: a query row read by position")
            elif isinstance(target, ast.Tuple) and len(target.elts) > MAX_UNPACKED:
                module.hit(target, f"unpacks a query row of {len(target.elts)} columns by position")
        for node in self.nodes:
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and _index(node.slice):
                name = node.value.id
                if (reads_as_row(name) and id(node) not in module.lambda_params) or name in self.one_row:
                    module.hit(node, f"{ast.unparse(node)}: a row read by position")
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Tuple)
                and len(node.targets[0].elts) > MAX_UNPACKED
                and isinstance(node.value, ast.Name)
                and (reads_as_row(node.value.id) or node.value.id in self.one_row)
            ):
                module.hit(
                    node, f"unpacks {node.value.id} into {len(node.targets[0].elts)} names by position"
                )


def row_reads(source: str, name: str = "<source>") -> list[tuple[int, str]]:
    """Every read of a query row by position in a module's source: (line, what), sorted."""
    tree = ast.parse(source, filename=name)
    module = _Module(tree)
    scopes: list[tuple[Scope, _Scope | None]] = [(tree, None)]
    while scopes:
        scope, outer = scopes.pop()
        seen = _Scope(module, scope, outer)
        seen.scan()
        scopes += [(n, seen) for n in seen.nodes if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    # One hit per place: a subscript two rules report is reported once.
    places: dict[tuple[int, int], str] = {}
    for line, column, what in sorted(module.hits):
        places.setdefault((line, column), what)
    return [(line, what) for (line, _), what in sorted(places.items())]


def positional_rows(source: str, name: str = "<source>") -> list[str]:
    """Every read of a query row by position in a module's source, as "name:line: what" (sorted)."""
    return [f"{name}:{line}: {what}" for line, what in row_reads(source, name)]


def scanned_files() -> list[Path]:
    """The modules of src/tieline outside the places where rows are made."""
    return [
        path
        for path in sorted(SRC.rglob("*.py"))
        if not path.relative_to(SRC).as_posix().startswith(ROW_HOMES)
    ]


def test_no_row_is_read_by_position_outside_repo() -> None:
    hits = []
    for path in scanned_files():
        relative = path.relative_to(SRC).as_posix()
        for line, what in row_reads(path.read_text(encoding="utf-8"), relative):
            if (relative, what) not in NOT_YET_NAMED:
                hits.append(f"src/tieline/{relative}:{line}: {what}")
    assert not hits, "read rows by name (the repo's NamedTuples), not by position:\n" + "\n".join(hits)


def test_every_row_not_yet_named_is_still_read_by_position() -> None:
    for relative, what in NOT_YET_NAMED:
        reads = row_reads((SRC / relative).read_text(encoding="utf-8"), relative)
        assert what in {w for _, w in reads}, f"{relative}: {what!r} is gone: drop it from NOT_YET_NAMED"


def test_the_scan_covers_analytics_reports_services_cli_and_web_and_skips_the_repo() -> None:
    scanned = {p.relative_to(SRC).as_posix() for p in scanned_files()}
    for module in ("analytics/paths.py", "analytics/stats.py", "reports/gather.py", "services/goals.py"):
        assert module in scanned
    assert "cli/main.py" in scanned and "web/ui/network.py" in scanned
    assert not any(name.startswith(ROW_HOMES) for name in scanned)


def test_the_scanner_reports_a_row_read_by_position_in_a_loop() -> None:
    source = "total = 0\nfor r in rows:\n    total += r[8]\n"
    assert positional_rows(source, "bad.py") == ["bad.py:3: r[8]: a row read by position"]


VIOLATIONS = {
    # a name that reads as a row, wherever it comes from
    "def f(rows):\n    return [row[0] for row in rows]\n": 2,
    "def f(best_row):\n    return best_row[-1]\n": 2,
    "def f(record):\n    return record[1]\n": 2,
    # a loop variable over query results, whatever its name
    "def f(session, stmt):\n    for person in session.execute(stmt):\n        print(person[3])\n": 3,
    "def f(result):\n    return {p[0]: p.name for p in result.fetchall()}\n": 2,
    "from tieline.repo import graph as graph_repo\n\ndef f(s):\n    return [p[8] for p in graph_repo.live_people(s, owner_id=1)]\n": 4,
    "from tieline.repo.graph import live_people\n\ndef f(s):\n    return {p.id: p[1:] for p in live_people(s)}\n": 4,
    "from tieline import repo\n\ndef f(s):\n    return [p[8] for p in list(repo.graph.live_people(s))]\n": 4,
    # through names and filters in the same function
    "from tieline.repo import graph as g\n\ndef f(s):\n    people = g.live_people(s)\n    strong = [p for p in people if p.strength]\n    for p in strong[:10]:\n        print(p[1])\n": 7,
    # a lambda that sorts or picks query rows
    "from tieline.repo import graph as g\n\ndef f(s):\n    return sorted(g.live_people(s), key=lambda p: -p[8])\n": 4,
    "from tieline.repo import graph as g\n\ndef f(s):\n    people = g.live_people(s)\n    people.sort(key=lambda x: x[1])\n": 5,
    # a single row
    "def f(session, stmt):\n    found = session.execute(stmt).first()\n    return found[0]\n": 3,
    # long rows unpacked by position
    "def f(session, stmt):\n    for a, b, c, d, e in session.execute(stmt):\n        print(a, e)\n": 2,
    "from tieline.repo import graph as g\n\ndef f(s):\n    return [x for _, x, _, _, _ in g.current_memberships(s)]\n": 4,
    "def f(row):\n    a, b, c, d, e = row\n": 2,
}


@pytest.mark.parametrize("source", list(VIOLATIONS))
def test_the_scanner_reports_a_deliberate_violation_with_its_line(source: str) -> None:
    hits = positional_rows(source, "bad.py")
    assert len(hits) == 1, hits
    assert hits[0].startswith(f"bad.py:{VIOLATIONS[source]}: "), hits


def test_the_scanner_leaves_named_access_and_plain_sequences_alone() -> None:
    source = (
        "from tieline.repo import graph as graph_repo\n"
        "def f(session, pairs, names, stmt):\n"
        "    rows = graph_repo.live_people(session, owner_id=1)\n"
        "    first = rows[0]\n"  # the first row of a list, read by name below
        "    ids = {r.id: r.display_name for r in rows}\n"
        "    for a, b, shared in graph_repo.co_participation(session, owner_id=1):\n"
        "        print(a, b, shared)\n"
        "    for p in pairs:\n"
        "        print(p[0], names[1], first.id)\n"
        "    for m in session.execute(stmt).mappings():\n"
        "        print(m['id'])\n"
        "    words = title.split()\n"
        "    for table, batch in tables.items():\n"  # rows a module builds itself, to insert
        "        batch[:] = [(base + n, *row[1:]) for n, row in enumerate(batch)]\n"
        "    woken = [(p, n, at) for p, n, at, before in graph_repo.silent(session) if at > before]\n"
        "    woken.sort(key=lambda r: (r[2], r[0]), reverse=True)\n"
        "    return words[-1], ids, sorted(pairs, key=lambda t: (-t[0], t[1]))\n"
    )
    assert positional_rows(source) == []


def test_a_name_holds_rows_only_in_the_function_that_assigned_them() -> None:
    source = (
        "from tieline.repo import organisations as organisations_repo\n"
        "def members(session):\n"
        "    memberships = organisations_repo.members_of_tree(session)\n"
        "    return memberships\n"
        "def order(grouped):\n"
        "    for person, memberships in grouped.values():\n"
        "        memberships.sort(key=lambda pair: pair[0].end_date is None)\n"
    )
    assert positional_rows(source) == []
