"""What an import run changed, kept compactly so the run can be undone whole.

Created rows are logged by id, many to an entry; an updated row keeps only the columns the run
changed, as they were before; a deleted row (an address book sync drops an email the phone
removed) is kept whole, to be put back. Ties are derived data: the people whose ties moved are listed and
rebuilt from their interactions on undo instead of being copied.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from tieline.repo import imports as imports_repo
from tieline.repo import rows

IDS_PER_ENTRY = 10000
UPDATES_PER_ENTRY = 1000


def _hashable(key: Any) -> Any:
    """An id as it is; a composite key (a list) as a tuple."""
    return tuple(key) if isinstance(key, list) else key


class ChangeLog:
    """Collects the rows a run inserted and the before-images of rows it updated."""

    def __init__(self) -> None:
        self.inserted: dict[str, list[Any]] = defaultdict(list)
        self.updated: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
        self.rescored: set[int] = set()
        self.deleted: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # The keys created per table, as a set: made only for a table whose rows are also updated
        # (a mailbox's quarter of a million participant keys would otherwise be held twice).
        self._created: dict[str, set[Any]] = {}

    def insert(self, table: str, keys: list[Any]) -> None:
        """Rows created in `table`: ids, or lists for composite keys."""
        self.inserted[table].extend(keys)
        if table in self._created:
            self._created[table].update(_hashable(k) for k in keys)

    def update(self, table: str, key: list[Any], before: dict[str, Any]) -> None:
        """A row about to change; only the first before-image of each column is kept."""
        if not before or self.created(table, key[0] if len(key) == 1 else tuple(key)):
            return
        tbl = rows.table(table)
        image = self.updated[table].setdefault(tuple(key), {})
        for column, value in rows.encode(tbl, before).items():
            image.setdefault(column, value)

    def delete(self, table: str, rows_before: list[dict[str, Any]]) -> None:
        """Rows about to be deleted, whole (as `rows.select_encoded` gives them); one the run itself
        created needs nothing kept: undo would delete it anyway."""
        tbl = rows.table(table)
        for row in rows_before:
            key = rows.key_of(tbl, rows.decode(tbl, row))
            if not self.created(table, key[0] if len(key) == 1 else tuple(key)):
                self.deleted[table].append(row)

    def created(self, table: str, key: Any) -> bool:
        """True when this run itself created the row (so its changes need no before-image)."""
        if table not in self._created:
            self._created[table] = {_hashable(k) for k in self.inserted.get(table, ())}
        return key in self._created[table]

    @property
    def empty(self) -> bool:
        """True when the run changed nothing."""
        return (
            not any(self.inserted.values())
            and not any(self.updated.values())
            and not any(self.deleted.values())
        )

    def write(self, session: Session, *, run_id: int) -> None:
        """Store the log as change entries of the run."""
        changes: list[imports_repo.Change] = []
        for table, keys in self.inserted.items():
            for start in range(0, len(keys), IDS_PER_ENTRY):
                changes.append(
                    imports_repo.Change(table, "insert", {"keys": keys[start : start + IDS_PER_ENTRY]})
                )
        for table, images in self.updated.items():
            items = [{"key": list(key), "before": before} for key, before in images.items()]
            for start in range(0, len(items), UPDATES_PER_ENTRY):
                changes.append(
                    imports_repo.Change(table, "update", {"rows": items[start : start + UPDATES_PER_ENTRY]})
                )
        for table, deleted in self.deleted.items():
            for start in range(0, len(deleted), UPDATES_PER_ENTRY):
                # An "update" entry holding whole rows to put back, as "rescore" holds people to
                # rescore: the change table's actions stay insert and update.
                chunk = deleted[start : start + UPDATES_PER_ENTRY]
                changes.append(imports_repo.Change(table, "update", {"restore": chunk}))
        if self.rescored:
            changes.append(imports_repo.Change("tie", "update", {"rescore": sorted(self.rescored)}))
        imports_repo.add_changes(session, run_id=run_id, changes=changes)
