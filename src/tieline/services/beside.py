"""Work done beside a block, from a thread of its own, every so often until the block ends: a job's
claim renewed while it runs, an import's progress written while it reads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def every(seconds: float, turn: Callable[[], bool], *, name: str, join_seconds: float = 10) -> Iterator[None]:
    """Call `turn()` every `seconds` while the block runs, until it returns False; the thread is
    told to stop when the block ends (however it ends) and waited for a while. `turn` handles its
    own failures: an exception escaping it ends the turns."""
    done = threading.Event()

    def turns() -> None:
        while not done.wait(seconds):
            if not turn():
                return

    thread = threading.Thread(target=turns, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=join_seconds)
