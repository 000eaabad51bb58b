"""docs/scaling.md checked against the schema: the plan names every table, and its list of what
stands in the way of distributing the data by `owner_id` (Citus) is exactly what the models say.

The doc keeps three marked sections, read here:
- `citus-plan`: every table and how it would be placed: distributed (by owner_id, all co-located),
  reference (copied to every node) or local (stays on the coordinator only);
- `stands-in-the-way`: one row per table that cannot be placed so today, with the offending primary
  key, unique keys and foreign keys written as `code` tokens, compared token for token with what
  `blockers` finds in `Base.metadata`;
- `queries`: the repo functions named as `repo/module.py:function`, each of which must still exist.

A change of the schema (a new table, a key, a foreign key) or a renamed query fails here until the
doc says what it means. No database is needed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sqlalchemy as sa

from tieline import db
from tieline.models import Base

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scaling.md"
REPO = ROOT / "src" / "tieline" / "repo"
MIGRATIONS = ROOT / "src" / "tieline" / "migrations" / "versions"
OWNER = "owner_id"
KINDS = ("distributed", "reference", "local")
# Tables the doc places that the models do not describe (Alembic's own).
NOT_MODELLED = {"alembic_version"}


def section(name: str) -> str:
    """The text between `<!-- name -->` and `<!-- /name -->` in the doc."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name} -->(.*?)<!-- /{name} -->", text, re.S)
    assert found, f"docs/scaling.md has no section marked <!-- {name} --> ... <!-- /{name} -->"
    return found.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the markdown table in `text`, as raw cells (header and rule left out)."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def tokens(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


def bare(cell: str) -> str:
    return cell.strip().strip("`")


def plan() -> dict[str, str]:
    """table -> distributed / reference / local, as the doc's plan says."""
    placed: dict[str, str] = {}
    for cells in table_rows(section("citus-plan")):
        name, kind = bare(cells[0]), bare(cells[1])
        assert kind in KINDS, f"{name}: placed as {kind!r}, not one of {KINDS}"
        assert name not in placed, f"{name} is placed twice"
        placed[name] = kind
    unplaced = sorted(set(Base.metadata.tables) - set(placed))
    assert not unplaced, f"tables the plan in docs/scaling.md does not place: {unplaced}"
    return placed


def _unique_keys(table: sa.Table) -> list[tuple[str, list[str]]]:
    """(name, columns) of every unique constraint and unique index of the table."""
    keys = [
        (str(c.name), [col.name for col in c.columns])
        for c in table.constraints
        if isinstance(c, sa.UniqueConstraint)
    ]
    keys += [(str(i.name), [col.name for col in i.columns]) for i in table.indexes if i.unique]
    return keys


def blockers(table: sa.Table, placed: dict[str, str]) -> dict[str, set[str]]:
    """What keeps `table` from its place, as the doc's tokens: "key" (the primary key, or a missing
    owner_id column), "unique" (unique keys by name), "foreign" (foreign keys as `cols -> table`,
    with ` (SET NULL)` when they null on delete, which Citus refuses on a distributed key)."""
    kind = placed[table.name]
    found: dict[str, set[str]] = {"key": set(), "unique": set(), "foreign": set()}
    if kind == "distributed":
        if OWNER not in table.c:
            found["key"].add("no owner_id")
        pk = [c.name for c in table.primary_key.columns]
        if OWNER not in pk:
            found["key"].add(f"({', '.join(pk)})")
        found["unique"] = {name for name, columns in _unique_keys(table) if OWNER not in columns}
    for fk in table.foreign_key_constraints:
        target = fk.referred_table.name
        target_kind = placed[target]
        pairs = {
            (col.name, element.column.name) for col, element in zip(fk.columns, fk.elements, strict=True)
        }
        if kind == "distributed" and target_kind == "reference":
            continue  # a distributed table may point at a reference table by any column
        null = " (SET NULL)" if (fk.ondelete or "").upper() == "SET NULL" else ""
        if kind == "distributed" and target_kind == "distributed" and (OWNER, OWNER) in pairs and not null:
            continue  # co-located and naming the distribution column on both sides
        if kind in ("reference", "local") and target_kind == "reference":
            continue
        columns = ", ".join(col.name for col in fk.columns)
        found["foreign"].add(f"{columns} -> {target}{null}")
    return found


def blocked(placed: dict[str, str]) -> dict[str, dict[str, set[str]]]:
    out = {}
    for table in Base.metadata.sorted_tables:
        found = blockers(table, placed)
        if any(found.values()):
            out[table.name] = found
    return out


def listed() -> dict[str, dict[str, set[str]]]:
    """table -> its cells' tokens, from the doc's stands-in-the-way table."""
    out: dict[str, dict[str, set[str]]] = {}
    for cells in table_rows(section("stands-in-the-way")):
        name = bare(cells[0])
        assert name not in out, f"{name} is listed twice as standing in the way"
        out[name] = {"key": tokens(cells[1]), "unique": tokens(cells[2]), "foreign": tokens(cells[3])}
    return out


def test_the_plan_places_every_table_and_only_tables():
    placed = plan()
    modelled = set(Base.metadata.tables)
    assert modelled - set(placed) == set(), "tables the plan in docs/scaling.md does not place"
    assert set(placed) - modelled - NOT_MODELLED == set(), "tables the plan places that do not exist"
    text = DOC.read_text(encoding="utf-8")
    for name in modelled:
        assert f"`{name}`" in text


def test_every_table_with_owner_id_outside_its_key_is_listed_as_standing_in_the_way():
    placed = plan()
    shown = listed()
    for table in Base.metadata.sorted_tables:
        if placed[table.name] == "distributed" and OWNER not in {c.name for c in table.primary_key.columns}:
            assert table.name in shown, f"{table.name}: its primary key lacks owner_id, and the doc omits it"


def test_the_tables_listed_are_exactly_those_the_schema_blocks():
    found, shown = blocked(plan()), listed()
    assert sorted(set(found) - set(shown)) == [], "blocked by the schema but not listed in the doc"
    assert sorted(set(shown) - set(found)) == [], "listed in the doc but fine in the schema"


def test_each_listed_row_names_exactly_what_blocks_its_table():
    found, shown = blocked(plan()), listed()
    for name in sorted(set(found) & set(shown)):
        for part in ("key", "unique", "foreign"):
            assert shown[name][part] == found[name][part], f"{name}, {part}: the doc is out of step"


def test_no_migration_makes_a_unique_index_the_models_do_not_describe():
    """The doc reads unique keys from the models; a unique index made by hand would escape it."""
    hand_made = set(db.HAND_MADE_INDEXES)
    for path in sorted(MIGRATIONS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"CREATE\s+UNIQUE\s+INDEX", text, re.I), path.name
        for call in re.finditer(r"create_index\((.*?)\)\n", text, re.S):
            assert "unique=True" not in call.group(1), f"{path.name}: {call.group(0)[:80]}"
    assert hand_made, "db.HAND_MADE_INDEXES is empty: the doc's list of hand-made indexes is stale"
    text = DOC.read_text(encoding="utf-8")
    for name in hand_made:
        assert f"`{name}`" in text, f"the hand-made index {name} is not named in docs/scaling.md"


def _functions(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def test_every_query_named_still_exists():
    names = re.findall(r"`repo/(\w+)\.py:(\w+)`", section("queries"))
    assert len(names) > 10, "the queries section names almost no query"
    for module, function in names:
        path = REPO / f"{module}.py"
        assert path.exists(), f"repo/{module}.py is gone"
        assert function in _functions(path), f"repo/{module}.py has no {function}"


def test_the_checker_finds_each_kind_of_blocker():
    """`blockers` on made-up tables: each rule can fire, and a well-keyed table passes."""
    meta = sa.MetaData()
    sa.Table("owner", meta, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "good",
        meta,
        sa.Column("owner_id", sa.ForeignKey("owner.id"), primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.UniqueConstraint("owner_id", "id", name="uq_good"),
    )
    sa.Table(
        "bad",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.ForeignKey("owner.id")),
        sa.Column("good_id", sa.ForeignKey("good.id", ondelete="SET NULL")),
        sa.Column("code", sa.String, unique=True),
    )
    sa.Table("child", meta, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "paired",
        meta,
        sa.Column("owner_id", sa.Integer, primary_key=True),
        sa.Column("good_id", sa.Integer, primary_key=True),
        sa.ForeignKeyConstraint(["owner_id", "good_id"], ["good.owner_id", "good.id"]),
    )
    sa.Table(
        "nulling",
        meta,
        sa.Column("owner_id", sa.Integer, primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("good_id", sa.Integer),
        sa.ForeignKeyConstraint(["owner_id", "good_id"], ["good.owner_id", "good.id"], ondelete="SET NULL"),
    )
    sa.Table(
        "ref",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("good_id", sa.ForeignKey("good.id")),
    )
    placed = {
        "owner": "reference",
        "good": "distributed",
        "bad": "distributed",
        "child": "distributed",
        "paired": "distributed",
        "nulling": "distributed",
        "ref": "reference",
    }
    tables = meta.tables
    assert not any(blockers(tables["good"], placed).values())
    assert not any(blockers(tables["paired"], placed).values())
    bad = blockers(tables["bad"], placed)
    assert bad["key"] == {"(id)"}
    assert len(bad["unique"]) == 1  # the unique `code`, whatever its generated name
    assert bad["foreign"] == {"good_id -> good (SET NULL)"}
    assert blockers(tables["child"], placed)["key"] == {"no owner_id", "(id)"}
    # Composite, but nulling on delete: Citus refuses it (citusdata/citus#7132).
    assert blockers(tables["nulling"], placed)["foreign"] == {"owner_id, good_id -> good (SET NULL)"}
    assert blockers(tables["ref"], placed)["foreign"] == {"good_id -> good"}
