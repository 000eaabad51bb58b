"""Today's agenda computed once per change of the owner's data or of the day, not once per view.

The agenda is kept in `agenda_cache` (one row per owner, `repo/agenda_cache.py`), so every app
process shares it. It stays true because every transaction that writes an owner's data marks their
row stale in the same commit (db.py notices the writes, for every service at once), and an agenda is
stored only over the row it read before computing, so one computed before a write is never kept.

Only today's agenda at the daily cap is kept (the Today page and its partials, `GET /api/v1/agenda`,
the MCP `todays_agenda`): another day, or another length, is computed as before. Nothing here
remembers a listing (`tieline today` does, for `tieline done 3`, and stays uncached).

The time of day changes today's agenda too, without any write, so a kept agenda also carries when
it stops being true (`valid_until`), the earliest of:
- the start of the next meeting today with someone you know (meetings_today shows a meeting until
  it starts);
- for each event follow-up, the end of its window (`event.follow_up_hours` after meeting: the line
  then says the window has passed), and the time of day that window ends (its last day in time
  moves a day earlier once that time of day is past, followups.last_day_in_time);
- MAX_AGE after it was computed: scores decay with the time of day (`scoring.strength` at `now`),
  over half-lives of weeks, so a quarter of an hour moves a strength by far less than the one point
  a line shows; this bounds that drift, and anything else that follows the clock unnoticed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tieline.db import stamp_written_agendas
from tieline.repo import agenda_cache as cache_repo
from tieline.repo import followups as followups_repo
from tieline.repo import meetings as meetings_repo
from tieline.services import preferences
from tieline.services.agenda.build import AgendaView, ComingDay, agenda_for
from tieline.services.agenda.items import AgendaItem, end_of_day

# The payload's shape: a payload of another version is computed again (an upgrade changed the lines).
FORMAT = 1
MAX_AGE = timedelta(minutes=15)

_DATE_FIELDS = tuple(f.name for f in fields(AgendaItem) if "date" in str(f.type))
assert all("datetime" not in str(f.type) for f in fields(AgendaItem)), "AgendaItem: only dates are converted"
# The head of a payload as `dumps` writes it, before the lines: its format, then when it was computed
# and when it stops being true. `still_true` reads only this, so the warmer can judge a row by its
# first characters (repo/agenda_cache.py, HEAD_CHARS) without loading the lines.
_HEAD = re.compile(r'\{"format":(\d+),"computed_at":"([^"]+)","valid_until":"([^"]+)"')


def cached_agenda(session: Session, *, owner_id: int, day: date, now: datetime) -> AgendaView:
    """The agenda for `day` as `agenda_for(..., remember=False)` gives it, computed at most once per
    change of the owner's data, of the day or of the time-bound lines (module docstring)."""
    if day != now.astimezone().date():
        return agenda_for(session, owner_id=owner_id, day=day, now=now, remember=False)
    stamp_written_agendas(session)  # this transaction's own writes (done, then the list again)
    row = cache_repo.read(session, owner_id=owner_id)
    if row is not None and (view := _kept(row.payload, day=day, now=now)) is not None:
        return view
    view = agenda_for(session, owner_id=owner_id, day=day, now=now, remember=False)
    payload = dumps(
        view, computed_at=now, valid_until=valid_until(session, owner_id=owner_id, day=day, now=now)
    )
    cache_repo.store(
        session,
        owner_id=owner_id,
        day=day,
        computed_at=now,
        payload=payload,
        over=row.payload if row is not None else None,
    )
    return view


def _kept(payload: str, *, day: date, now: datetime) -> AgendaView | None:
    """The kept agenda, if it is for `day` and still true at `now`."""
    if not still_true(payload, now=now):
        return None
    view = json.loads(payload)["view"]
    return loads_view(view) if view["day"] == day.isoformat() else None


def still_true(payload: str, *, now: datetime) -> bool:
    """Whether a row's payload, whole or only its head, is a kept agenda (not a stale stamp) of this
    version, computed at or before `now` and still true at `now`. Not whether it is of today."""
    found = _HEAD.match(payload)
    if found is None or int(found.group(1)) != FORMAT:
        return False
    return datetime.fromisoformat(found.group(2)) <= now < datetime.fromisoformat(found.group(3))


def valid_until(session: Session, *, owner_id: int, day: date, now: datetime) -> datetime:
    """When today's agenda, computed at `now`, may change by the clock alone (module docstring)."""
    ends = [now + MAX_AGE]
    meetings = meetings_repo.people_met(session, owner_id=owner_id, after=now, until=end_of_day(day))
    ends += [row.starts_at for row in meetings]
    hours = int(preferences.load(session, owner_id=owner_id)["event.follow_up_hours"])
    met_before = datetime.combine(day, datetime.min.time()).astimezone()
    for row in followups_repo.due_by(session, owner_id=owner_id, day=day, met_before=met_before):
        if row.met_at is None or row.event_name is None:
            continue
        window_end = (row.met_at + timedelta(hours=hours)).astimezone()
        ends.append(window_end)
        ends.append(datetime.combine(day, window_end.time()).astimezone())
    return min(end for end in ends if end > now)


def dumps(view: AgendaView, *, computed_at: datetime, valid_until: datetime) -> str:
    """The agenda as the JSON kept in the row: its head (`_HEAD`) first, then the view, every
    dataclass of it as an object and every date in ISO form (as `loads_view` reads it back)."""
    head = {"format": FORMAT, "computed_at": computed_at.isoformat(), "valid_until": valid_until.isoformat()}
    return json.dumps({**head, "view": asdict(view)}, separators=(",", ":"), default=date.isoformat)


def loads_view(data: dict[str, Any]) -> AgendaView:
    """The agenda rebuilt from its JSON: equal to the one stored."""
    return AgendaView(
        day=date.fromisoformat(data["day"]),
        items=[_item(d) for d in data["items"]],
        total=data["total"],
        coming=[
            ComingDay(
                day=date.fromisoformat(c["day"]), items=[_item(d) for d in c["items"]], total=c["total"]
            )
            for c in data["coming"]
        ],
    )


def _item(data: dict[str, Any]) -> AgendaItem:
    for name in _DATE_FIELDS:
        if data[name] is not None:
            data[name] = date.fromisoformat(data[name])
    return AgendaItem(**data)
