"""The agenda warmer (issue 17): a thread of each app process that keeps today's agendas computed, so
a view normally finds its agenda ready (services/agenda/warm.py picks the owners, claims and computes).

Started and stopped by the app's lifespan, like the sync scheduler. Its first pass comes
`first_delay` after the start (a minute: an app built for a short while, as tests build them, never
makes one; the morning's agendas are computed just after midnight, when the day changes), then one
every `every_seconds`, whatever a pass found: nothing loops hot. A pass computes one owner at a time
and stops between two when the app stops. A failure is logged in one line (its kind, never its
message) and the next pass tries again.
"""

from __future__ import annotations

import logging
import threading

from tieline.services.agenda import warm as warm_service
from tieline.services.sync import claims as claims_service
from tieline.web.deps import WebState

log = logging.getLogger(__name__)
EVERY_SECONDS = 5.0
FIRST_DELAY_SECONDS = 60.0
STOP_WAIT_SECONDS = 10


class AgendaWarmer:
    """Computes the agendas that are not ready, every `every_seconds`, in a thread of its own."""

    def __init__(
        self, state: WebState, *, every_seconds: float = EVERY_SECONDS, first_delay: float = FIRST_DELAY_SECONDS
    ) -> None:
        if every_seconds <= 0:
            raise ValueError("the agenda warmer needs a pause between passes")
        self.state = state
        self.every_seconds = every_seconds
        self.first_delay = first_delay
        self.holder = claims_service.new_holder()  # this process, in the claims it takes
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the warmer's thread (the app's lifespan calls this)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="agenda-warmer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the warmer: no new computation starts; the one running is let finish for a while."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=STOP_WAIT_SECONDS)

    @property
    def running(self) -> bool:
        """Whether the warmer's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        pause = self.first_delay
        while not self._stop.wait(pause):
            self.run_once()
            pause = self.every_seconds

    def run_once(self) -> int:
        """One pass; how many agendas this process claimed (and computed)."""
        try:
            return warm_service.warm_pass(
                self.state.database, clock=self.state.now, holder=self.holder, stopping=self._stop.is_set
            )
        except Exception as exc:  # the database busy or away: the next pass tries again
            log.warning("agenda warmer: the pass failed (%s)", type(exc).__name__)
            return 0
