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

from tieline.services.agenda import warm as warm_service
from tieline.services.sync import claims as claims_service
from tieline.web.deps import WebState
from tieline.web.sync_scheduler import BackgroundLoop

log = logging.getLogger(__name__)
EVERY_SECONDS = 5.0
FIRST_DELAY_SECONDS = 60.0


class AgendaWarmer(BackgroundLoop):
    """Computes the agendas that are not ready, every `every_seconds`, in a thread of its own."""

    def __init__(
        self,
        state: WebState,
        *,
        every_seconds: float = EVERY_SECONDS,
        first_delay: float = FIRST_DELAY_SECONDS,
    ) -> None:
        if every_seconds <= 0:
            raise ValueError("the agenda warmer needs a pause between passes")
        super().__init__(name="agenda-warmer", first_pause=first_delay, pause=every_seconds)
        self.state = state
        self.holder = claims_service.new_holder()  # this process, in the claims it takes

    def tick(self) -> int:
        return self.run_once()

    def run_once(self) -> int:
        """One pass; how many agendas this process claimed (and computed)."""
        try:
            return warm_service.warm_pass(
                self.state.database, clock=self.state.now, holder=self.holder, stopping=self._stop.is_set
            )
        except Exception as exc:  # the database busy or away: the next pass tries again
            log.warning("agenda warmer: the pass failed (%s)", type(exc).__name__)
            return 0
