"""The import contracts (pyproject.toml [tool.importlinter], run by `lint-imports` in scripts/test)
break when the code breaks them: a copy of the package with one deliberate violation of each contract
makes `lint-imports` fail, naming the contract and the import. And the edges import no private names.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tieline"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
NAMES = {contract["id"]: contract["name"] for contract in CONFIG["contracts"]}

# contract id -> [(module added to the copy, its source, the module the report must name), ...]
VIOLATIONS = {
    "layers": [
        ("repo/zz_reaches_up.py", "from tieline.services import people\n", "tieline.repo.zz_reaches_up"),
        ("zz_unplaced.py", '"""A top-level module given no layer."""\n', "tieline.zz_unplaced"),
        # The web app serves the MCP server at /mcp; the MCP server never reaches into the web app.
        (
            "mcp_server/zz_reaches_web.py",
            "from tieline.web import csrf\n",
            "tieline.mcp_server.zz_reaches_web",
        ),
    ],
    "edges-through-services": [
        ("cli/zz_reaches_repo.py", "from tieline.repo import people\n", "tieline.cli.zz_reaches_repo"),
        (
            "web/ui/zz_reaches_repo.py",
            "from tieline.repo import network_map\n",
            "tieline.web.ui.zz_reaches_repo",
        ),
        (
            "mcp_server/zz_reaches_repo.py",
            "from tieline.repo import people\n",
            "tieline.mcp_server.zz_reaches_repo",
        ),
    ],
    "importers-pure": [
        ("importers/zz_queries.py", "import sqlalchemy\n", "tieline.importers.zz_queries"),
        # Indirectly: a service reaches the repo, so a parser may not lean on it.
        ("importers/zz_saves.py", "from tieline.services import people\n", "tieline.importers.zz_saves"),
    ],
    "connectors-pure": [
        ("connectors/zz_stores.py", "from tieline.repo import sync\n", "tieline.connectors.zz_stores"),
        ("connectors/zz_queries.py", "import sqlalchemy\n", "tieline.connectors.zz_queries"),
    ],
    "analytics-read-only": [
        ("analytics/zz_writes.py", "from tieline.services import favours\n", "tieline.analytics.zz_writes"),
        ("reports/zz_writes.py", "from tieline.services import people\n", "tieline.reports.zz_writes"),
    ],
}


def _copy_with_violations(target: Path) -> None:
    package = target / "tieline"
    for path in SRC.rglob("*.py"):
        dest = package / path.relative_to(SRC)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    for cases in VIOLATIONS.values():
        for relative, source, _ in cases:
            (package / relative).write_text(source, encoding="utf-8")
    shutil.copyfile(ROOT / "pyproject.toml", target / "pyproject.toml")


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """`lint-imports` run on a copy of the package with every deliberate violation added."""
    if not LINT_IMPORTS.exists():
        pytest.fail(f"{LINT_IMPORTS} is missing: install the test extras (pip install -e '.[test]')")
    target = tmp_path_factory.mktemp("layers")
    _copy_with_violations(target)
    env = {**os.environ, "PYTHONPATH": str(target), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=target,  # its pyproject.toml is the contracts
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _broken_section(output: str, name: str) -> str:
    """The part of lint-imports' report that explains why the contract called `name` is broken."""
    details = output.split("Broken contracts", 1)[-1]
    start = details.index(f"\n{name}\n")
    following = [details.find(f"\n{other}\n", start + 1) for other in NAMES.values() if other != name]
    end = min([i for i in following if i > start], default=len(details))
    return details[start:end]


def test_lint_imports_reads_the_copy_not_the_installed_package(
    broken_run: subprocess.CompletedProcess[str],
) -> None:
    assert "zz_" in broken_run.stdout, broken_run.stdout + broken_run.stderr


def test_a_broken_contract_fails_the_run(broken_run: subprocess.CompletedProcess[str]) -> None:
    assert broken_run.returncode != 0, broken_run.stdout


def test_every_contract_has_a_deliberate_violation() -> None:
    assert set(VIOLATIONS) == set(NAMES)


@pytest.mark.parametrize("contract", list(VIOLATIONS))
def test_each_contract_names_its_deliberate_violations(
    broken_run: subprocess.CompletedProcess[str], contract: str
) -> None:
    name, output = NAMES[contract], broken_run.stdout
    assert f"{name} BROKEN" in output, output + broken_run.stderr
    section = _broken_section(output, name)
    for _, _, module in VIOLATIONS[contract]:
        assert module in section, f"{module} not reported under {name!r}:\n{section}"


def private_names(source: str, name: str) -> list[str]:
    """`from tieline... import _name` and `module._name` on a tieline module, as "name:line: what"."""
    tree = ast.parse(source)
    modules: set[str] = set()  # names bound to a tieline module (or to something in one)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tieline"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append((node.lineno, alias.name))
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.startswith("tieline"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return [f"{name}:{line}: {what}" for line, what in sorted(found)]


def test_the_edges_use_no_private_names_of_other_modules() -> None:
    found = [
        hit
        for edge in ("cli", "web", "mcp_server")
        for path in sorted((SRC / edge).rglob("*.py"))
        for hit in private_names(path.read_text(encoding="utf-8"), path.relative_to(SRC).as_posix())
    ]
    assert not found, "an edge reaches into what a module keeps to itself; give it a public function:\n" + (
        "\n".join(found)
    )


def test_the_private_name_scan_sees_imports_and_attributes() -> None:
    source = (
        "from tieline.services.agenda import _rank, build\n"
        "from tieline.services import people as people_service\n"
        "def f():\n"
        "    from tieline.services.people import _find_prefix\n"
        "    people_service._ambiguous()\n"
        "    return build.__name__, people_service.resolve_person, self._x\n"
    )
    assert private_names(source, "bad.py") == [
        "bad.py:1: _rank",
        "bad.py:4: _find_prefix",
        "bad.py:5: people_service._ambiguous",
    ]
