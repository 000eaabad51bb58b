"""The layers hold: no SQL outside `repo/`, `db.py` and `migrations/`.

An AST scan of `src/tieline` finds what would build or run a query anywhere else: sqlalchemy's
statement builders (however imported), the calls that run statements or reach the driver, the
engine's dialect, and string literals that read as SQL. Each hit is reported as file:line.
The scanner is itself tested on a deliberate violation, so a clean tree means a working scan.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tieline"
# Where queries belong: the repo layer, the engine and its dialect differences, schema migrations.
QUERY_HOMES = ("repo/", "db.py", "migrations/")
# file (relative to src/tieline) -> the reason it may hold a query construct. Empty is the aim.
ALLOWED: dict[str, str] = {}

# sqlalchemy names that build a statement or an SQL expression.
BUILDERS = frozenset(
    {
        "select", "insert", "update", "delete", "text", "func", "union", "union_all", "exists",
        "literal", "literal_column", "bindparam", "and_", "or_", "collate", "tuple_", "values",
        "type_coerce", "cast", "case",
    }
)  # fmt: skip
# Methods that run a statement or reach the driver underneath SQLAlchemy.
RUNNERS = frozenset(
    {"execute", "exec_driver_sql", "scalar", "scalars", "query", "cursor", "executemany", "copy_from"}
)
# Attributes that only the engine's own layer should read: which database it is, the raw driver.
ENGINE_INTERNALS = frozenset({"dialect", "driver_connection", "dbapi_connection"})
SQL_TEXT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\S+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCOPY\b[\s\S]*\b(?:FROM\s+STDIN|TO\s+STDOUT)\b|\bsetval\s*\(|\bnextval\s*\(|\bPRAGMA\s+\w+"
)


def _is_sqlalchemy(module: str | None) -> bool:
    return module is not None and (module == "sqlalchemy" or module.startswith("sqlalchemy."))


class _Scan(ast.NodeVisitor):
    def __init__(self) -> None:
        self.hits: list[tuple[int, str]] = []
        self.modules: set[str] = set()  # names bound to sqlalchemy or one of its modules
        self.builders: set[str] = set()  # names bound to a sqlalchemy builder

    def hit(self, node: ast.AST, what: str) -> None:
        self.hits.append((getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _is_sqlalchemy(alias.name):
                self.modules.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if not _is_sqlalchemy(node.module):
            return
        for alias in node.names:
            bound = alias.asname or alias.name
            if alias.name in BUILDERS:
                self.builders.add(bound)
                self.hit(node, f"imports sqlalchemy's {alias.name}")
            elif alias.name.islower():  # a module (`sql`, `expression`) or a plain function
                self.modules.add(bound)

    def _rooted_in_sqlalchemy(self, node: ast.expr) -> bool:
        while isinstance(node, ast.Attribute):
            node = node.value
        return isinstance(node, ast.Name) and node.id in self.modules

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in BUILDERS and self._rooted_in_sqlalchemy(node.value):
            self.hit(node, f"sqlalchemy's {node.attr}")
        elif node.attr in ENGINE_INTERNALS:
            self.hit(node, f".{node.attr} (the engine's internals)")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.builders and isinstance(node.ctx, ast.Load):
            self.hit(node, f"sqlalchemy's {node.id}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in RUNNERS:
            self.hit(node, f".{func.attr}() runs a statement")
        elif isinstance(func, ast.Name) and func.id == "cursor":
            self.hit(node, "cursor() reaches the driver")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and SQL_TEXT.search(node.value):
            self.hit(node, "a string that reads as SQL")

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        if SQL_TEXT.search(text):  # type: ignore[arg-type]
            self.hit(node, "an f-string that reads as SQL")
        else:
            self.generic_visit(node)


def query_constructs(source: str, name: str = "<source>") -> list[str]:
    """Every query construct in a module's source, as "name:line: what" (sorted, one per line and kind)."""
    scan = _Scan()
    tree = ast.parse(source, filename=name)
    # Imports first, wherever they sit, so a name bound late is still known where it is used.
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            scan.visit(node)
    scan.hits.clear()
    scan.visit(tree)
    return [f"{name}:{line}: {what}" for line, what in sorted(set(scan.hits))]


def scanned_files() -> list[Path]:
    """The modules of src/tieline outside the places where queries belong."""
    return [
        path
        for path in sorted(SRC.rglob("*.py"))
        if not path.relative_to(SRC).as_posix().startswith(QUERY_HOMES)
    ]


def test_no_query_construct_outside_repo_db_and_migrations() -> None:
    hits = []
    for path in scanned_files():
        relative = path.relative_to(SRC).as_posix()
        if relative not in ALLOWED:
            hits += query_constructs(path.read_text(encoding="utf-8"), f"src/tieline/{relative}")
    assert not hits, "SQL belongs in repo/ (or db.py for the engine):\n" + "\n".join(hits)


def test_every_allowed_file_still_needs_its_exception() -> None:
    for relative in ALLOWED:
        path = SRC / relative
        assert path.exists(), f"{relative} is allowed but gone: drop it from ALLOWED"
        assert query_constructs(path.read_text(encoding="utf-8")), f"{relative} needs no exception now"


def test_the_scan_covers_the_services_and_importers_and_skips_the_repo() -> None:
    scanned = {p.relative_to(SRC).as_posix() for p in scanned_files()}
    assert "services/merge.py" in scanned and "importers/vcard.py" in scanned
    assert not any(name.startswith(QUERY_HOMES) for name in scanned)


VIOLATIONS = {
    "session.execute(sa.select(Person))": ["execute", "select"],
    "session.scalars(stmt)": ["scalars"],
    "session.scalar(sa.func.count())": ["scalar", "func"],
    "session.query(Person).all()": ["query"],
    "conn.exec_driver_sql('BEGIN')": ["exec_driver_sql"],
    "with raw.cursor() as c: pass": ["cursor"],
    "x = sa.sql.expression.literal_column('1')": ["literal_column"],
    "x = sqlalchemy.update(t)": ["update"],
    "x = table.c.id == sa.bindparam('pid')": ["bindparam"],
    "if session.get_bind().dialect.name == 'postgresql': pass": ["dialect"],
    "q = 'SELECT id FROM person'": ["SQL"],
    "q = f'INSERT INTO {name} (id) VALUES (?)'": ["SQL"],
    "q = 'UPDATE person SET tier = 1'": ["SQL"],
    "q = 'DELETE FROM person'": ["SQL"],
    "q = f'COPY {t} ({cols}) FROM STDIN'": ["SQL"],
    "q = 'SELECT setval(:s, :n, false)'": ["SQL"],
}


@pytest.mark.parametrize("line", list(VIOLATIONS))
def test_the_scanner_reports_a_deliberate_violation_with_its_line(line: str) -> None:
    source = f"import sqlalchemy\nimport sqlalchemy as sa\n\n{line}\n"
    hits = query_constructs(source, "bad.py")
    assert hits, f"not caught: {line}"
    assert all(h.startswith("bad.py:4: ") for h in hits), hits
    for word in VIOLATIONS[line]:
        assert any(word in h for h in hits), (word, hits)


def test_the_scanner_sees_builders_however_they_are_imported() -> None:
    source = (
        "from sqlalchemy import select as pick, func\n"
        "from sqlalchemy.sql import expression\n"
        "stmt = pick(Person).where(func.lower(Person.name) == expression.text('x'))\n"
    )
    hits = query_constructs(source, "bad.py")
    assert "bad.py:1: imports sqlalchemy's select" in hits
    assert "bad.py:3: sqlalchemy's select" not in hits  # reported under the name it was bound to
    assert "bad.py:3: sqlalchemy's pick" in hits
    assert "bad.py:3: sqlalchemy's func" in hits
    assert "bad.py:3: sqlalchemy's text" in hits


def test_the_scanner_leaves_orm_use_through_models_and_plain_words_alone() -> None:
    source = (
        "from sqlalchemy.orm import Session\n"
        "import sqlalchemy as sa\n"
        "def f(session: Session, person: object) -> None:\n"
        '    """Select the people to keep, then delete the rest from the list."""\n'
        "    session.add(person)\n"
        "    session.delete(person)\n"
        "    session.flush()\n"
        "    values = {}\n"
        "    values.update(a=1)\n"
        "    rows.delete_ids(session, table, [1])\n"
        "    raise sa.exc.DBAPIError('x', None, None)\n"
    )
    assert query_constructs(source) == []


def test_loading_every_parser_loads_no_database_code() -> None:
    # Run apart, so what this test process has loaded already cannot hide an import.
    program = (
        "import importlib, pkgutil, sys\n"
        "import tieline.importers as parsers\n"
        "for module in pkgutil.iter_modules(parsers.__path__):\n"
        "    importlib.import_module(f'tieline.importers.{module.name}')\n"
        "storage = ('sqlalchemy', 'tieline.db', 'tieline.repo', 'tieline.models')\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'sqlalchemy' or n.startswith(storage)))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", f"a parser pulls in database code: {loaded.stdout}"
