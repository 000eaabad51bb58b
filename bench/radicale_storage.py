"""Radicale's stock `multifilesystem` storage without its two O(n) steps of a PUT: bench only.

Why: a PUT of a card into a book of n cards costs Radicale O(n), so filling an empty book one PUT
at a time is O(n^2): 10,000 cards took about an hour, nearly all of it the server's. Two steps scale
with the book (radicale 3.9):
- the UID check: radicale/app/put.py calls `parent_item.has_uid(uid)`, and the stock
  `BaseCollection.has_uid` (radicale/storage/__init__.py) walks `get_all()`: every card's file
  listed, read and hashed, and its cache entry unpickled;
- the history clean-up after each upload: `upload()` (storage/multifilesystem/upload.py) calls
  `_clean_history()`, whose `_get_deleted_history_hrefs()` (history.py) stats the book's folder for
  every entry of the history cache, looking for deleted cards whose entry has expired.
`bench.carddav` measures the client, so it starts Radicale with `[storage] type =
bench.radicale_storage`; tieline's sync and its floor (the same cards PUT by plain httpx) run against
the same server with this same storage, so the ratio stays fair.

How, with the same files on disk and the same answers: each book's UIDs (href -> UID as `get_all()`
gives them, and a count per UID) are read once, kept in memory and updated by this server's uploads,
with whether the history cache then held any deleted card. The index is stamped with the book
folder's inode and mtime; whatever takes a file out of the folder (a DELETE, a MOVE, a replaced
collection, a card removed by another program) or adds one behind the server's back changes the
stamp, and the index is read again at the next check. While it holds and no card is deleted, the
stock clean-up could find nothing to remove, so an upload skips it. (A card rewritten in place by
another program within one tick of the clock would go unseen: fine for a bench, not for real use.)
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from radicale import config
from radicale import item as radicale_item
from radicale.storage import multifilesystem


@dataclass
class _Index:
    stamp: tuple[int, int]  # the book folder's (inode, mtime in ns) when the index was last right
    no_deleted: bool  # the history cache held no deleted card (nothing for `_clean_history`)
    by_href: dict[str, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def put(self, href: str, uid: str) -> None:
        old = self.by_href.get(href)
        if old is not None:
            self.counts[old] -= 1
            if not self.counts[old]:
                del self.counts[old]
        self.by_href[href] = uid
        self.counts[uid] += 1


class Collection(multifilesystem.Collection):
    """Asks the storage's index (PUT and MOVE hold the write lock; one instance per request)."""

    _storage: Storage
    _uploading_clean = False  # in an upload, with an index that knows of no deleted card

    def _stamp(self) -> tuple[int, int]:
        stat = os.stat(self._filesystem_path)
        return stat.st_ino, stat.st_mtime_ns

    def _index(self) -> _Index:
        """This book's index, read again when the folder changed behind it."""
        stamp = self._stamp()
        kept = self._storage.uid_index.get(self._filesystem_path)
        if kept is None or kept.stamp != stamp:
            kept = _Index(stamp, no_deleted=next(iter(self._get_deleted_history_hrefs()), None) is None)
            for item in self.get_all():
                kept.put(item.href or "", item.uid)
            self._storage.uid_index[self._filesystem_path] = kept
        return kept

    def has_uid(self, uid: str) -> bool:
        return uid in self._index().counts

    def upload(
        self, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        kept = self._storage.uid_index.get(self._filesystem_path)
        current = kept is not None and kept.stamp == self._stamp()
        self._uploading_clean = current and kept is not None and kept.no_deleted
        try:
            uploaded, replaced = super().upload(href, item)
        finally:
            self._uploading_clean = False
        if kept is not None and current:
            kept.put(href, uploaded.uid)
            kept.stamp = self._stamp()
        return uploaded, replaced

    def _clean_history(self) -> None:
        if not self._uploading_clean:  # else the stock scan would find no deleted card to remove
            super()._clean_history()


class Storage(multifilesystem.Storage):
    """Stock `multifilesystem`, with `Collection` above and the per-book indexes it keeps."""

    _collection_class = Collection

    def __init__(self, configuration: config.Configuration) -> None:
        super().__init__(configuration)
        self.uid_index: dict[str, _Index] = {}
