"""The figures of `python -m bench.year`: a row per month, the targets with PASS or FAIL, the agenda's
daily mix, and where time-sensitive lines waited below the cap (what crowded them out)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bench.year import DORMANT_DAYS, TIMELY, TOP, DaySample, FollowUpTime, Seen, ThanksTime, Year

WITHIN_TARGET = 0.95
FROM_MONTH = 3
THANKS_DAYS = 3
FOLLOW_UP_HOURS = 48
SHORT = {"keep_in_touch": "keep", "reactivate": "react", "review_tier": "tier", "thanks": "thanks",
         "follow_up": "follow", "congratulate": "congr", "give_first": "give", "mentoring": "mentor",
         "introduction": "intro", "opportunity": "opp"}  # fmt: skip


@dataclass(frozen=True)
class Target:
    """A target of the issue, what was measured against it, and whether it holds."""

    text: str
    measured: str
    ok: bool


def month_of(year: Year, day: date) -> int:
    """1 for the month holding the first simulated day, and so on by calendar month."""
    return (day.year - year.start.year) * 12 + day.month - year.start.month + 1


def months(year: Year) -> dict[int, list[DaySample]]:
    """The simulated days by month."""
    out: dict[int, list[DaySample]] = {}
    for sample in year.days:
        out.setdefault(month_of(year, sample.day), []).append(sample)
    return out


def share(part: int, whole: int) -> float:
    """part / whole, or 1 when there is nothing to count."""
    return part / whole if whole else 1.0


def thanks_days(t: ThanksTime) -> int | None:
    """Whole local days from help received to its thank-you (None: still owed)."""
    if t.thanked is None:
        return None
    return (t.thanked.astimezone().date() - t.received.astimezone().date()).days


def follow_up_hours(f: FollowUpTime) -> float | None:
    """Hours from meeting someone to their follow-up done (None: not done)."""
    return None if f.done_at is None else (f.done_at - f.met_at).total_seconds() / 3600


def month_rows(year: Year) -> list[tuple[str, ...]]:
    """The month table: cadence (mean over the month's days, worst day), thanks, follow-ups, revivals."""
    rows = [("month", "days", "T1-2", "within cadence", "worst day", "not yet due", "thanks <=3 d",
             "max d", "follow-ups <=48 h", "max h", "reactivated", "lines/day")]  # fmt: skip
    for month, samples in months(year).items():
        within = statistics.mean(share(s.within, s.tier12) for s in samples)
        worst = min(share(s.within, s.tier12) for s in samples)
        not_due = statistics.mean(share(s.not_due, s.tier12) for s in samples)
        thanked = [
            thanks_days(t) for t in year.thanks if month_of(year, t.received.astimezone().date()) == month
        ]
        hours = [follow_up_hours(f) for f in year.follow_ups if month_of(year, f.event_day) == month]
        revived = sum(1 for r in year.revived if month_of(year, r.day) == month and r.kind == "reactivate")
        rows.append((
            f"{month} ({samples[0].day:%Y-%m})", str(len(samples)), str(samples[-1].tier12), f"{within:.1%}",
            f"{worst:.0%}", f"{not_due:.1%}", _within(thanked, THANKS_DAYS), _max(thanked, "d"),
            _within(hours, FOLLOW_UP_HOURS), _max(hours, "h"), str(revived),
            f"{statistics.mean(len(s.shown) + s.waiting for s in samples):.0f}",
        ))  # fmt: skip
    return rows


def _within(values: list[float | None] | list[int | None], limit: float) -> str:
    if not values:
        return "-"
    inside = sum(1 for v in values if v is not None and v <= limit)
    return f"{inside}/{len(values)}"


def _max(values: list[float | None] | list[int | None], unit: str) -> str:
    done = [v for v in values if v is not None]
    open_ = len(values) - len(done)
    text = f"{max(done):.0f} {unit}" if done else "-"
    return text + (f" +{open_} open" if open_ else "")


def mix_rows(year: Year) -> list[tuple[str, ...]]:
    """Kinds among the lines shown, per month: mean lines of each kind a day, days with more lines than
    the cap, and days whose whole top five was one kind."""
    kinds = sorted({s.kind for d in year.days for s in d.shown}, key=lambda k: list(SHORT).index(k)
                   if k in SHORT else len(SHORT))  # fmt: skip
    rows = [("month", *(SHORT.get(k, k) for k in kinds), "days at the cap", f"{TOP} of one kind")]
    for month, samples in months(year).items():
        counts = Counter(s.kind for d in samples for s in d.shown)
        capped = sum(1 for d in samples if d.waiting)
        one_kind = sum(1 for d in samples if len(d.shown) >= TOP and len({s.kind for s in d.shown}) == 1)
        rows.append(
            (str(month), *(f"{counts[k] / len(samples):.1f}" for k in kinds), str(capped), str(one_kind))
        )
    return rows


def targets(year: Year) -> list[Target]:
    """The issue's three targets, each judged on the measured figures."""
    out = []
    later = {m: s for m, s in months(year).items() if m >= FROM_MONTH}
    means = {m: statistics.mean(share(x.within, x.tier12) for x in s) for m, s in later.items()}
    worst = min(means, key=lambda m: (means[m], m), default=None)
    measured = f"lowest month {worst}: {means[worst]:.1%}" if worst is not None else "fewer months run"
    ok = worst is not None and means[worst] >= WITHIN_TARGET
    out.append(Target(f"tier 1-2 within cadence >= 95% every month from month {FROM_MONTH}", measured, ok))
    days = [thanks_days(t) for t in year.thanks]
    done = sorted(d for d in days if d is not None)
    inside = sum(1 for d in done if d <= THANKS_DAYS)
    owed = len(days) - len(done)
    measured = (
        f"{inside}/{len(days)} within {THANKS_DAYS} d ({share(inside, len(days)):.0%}); "
        f"median {_median(done)} d, max {max(done, default=0)} d; {owed} still owed"
    )
    out.append(Target(f"every thank-you within {THANKS_DAYS} days", measured, inside == len(days)))
    hours = [follow_up_hours(f) for f in year.follow_ups]
    done_h = sorted(h for h in hours if h is not None)
    inside = sum(1 for h in done_h if h <= FOLLOW_UP_HOURS)
    in_time = sum(1 for f in year.follow_ups if f.in_time)
    measured = (
        f"{inside}/{len(hours)} inside {FOLLOW_UP_HOURS} h ({share(inside, len(hours)):.0%}); median "
        f"{_median(done_h)} h, max {max(done_h, default=0):.0f} h; {len(hours) - len(done_h)} not done; "
        f"on or before the due day (`event show`): {in_time}"
    )
    out.append(
        Target(f"every event follow-up inside {FOLLOW_UP_HOURS} hours", measured, inside == len(hours))
    )
    return out


def _median(values: list[int] | list[float]) -> str:
    return f"{statistics.median(values):.0f}" if values else "-"


def crowding(year: Year, *, days_shown: int = 8) -> list[str]:
    """Where time-sensitive and tier 1-2 lines waited below the cap: on which days, at what priority,
    and what the lines shown instead were (kind and priority)."""
    lines = []
    groups: dict[str, dict[date, tuple[DaySample, list[Seen]]]] = {}
    for sample in year.days:
        for s in sample.below:
            if s.kind == "review_tier":  # a suggestion, not something falling due
                continue
            label = s.kind if s.kind in TIMELY else f"{s.kind} (tier 1-2)"
            groups.setdefault(label, {}).setdefault(sample.day, (sample, []))[1].append(s)
    for label, by_day in sorted(groups.items()):
        waiting = [s for _, found in by_day.values() for s in found]
        outranked = Counter(
            x.kind
            for sample, found in by_day.values()
            for x in sample.shown
            if x.priority >= max(s.priority for s in found)
        )
        lines.append(
            f"{label}: below the cap on {len(by_day)} days, priority {min(s.priority for s in waiting):.2f}"
            f"-{max(s.priority for s in waiting):.2f}; shown instead on those days: {_counts(outranked)}"
        )
        for day, (sample, found) in list(by_day.items())[:days_shown]:
            lines.append(
                f"  {day}: {len(found)} waiting ({' '.join(f'{s.priority:.2f}' for s in found)}); shown: "
                + ", ".join(f"{SHORT.get(x.kind, x.kind)} {x.priority:.2f}" for x in sample.shown)
            )
        if len(by_day) > days_shown:
            lines.append(f"  ... and {len(by_day) - days_shown} more days")
    merged: Counter[tuple[str, str]] = Counter()
    for sample in year.days:
        for s in sample.shown:
            for title in s.merged:
                merged[(s.kind, title.split(" ")[0])] += 1
    if merged:
        lines.append(
            "lines folded into a shown contact line (done logs the contact only): "
            + ", ".join(
                f"'{verb} ...' under {SHORT.get(kind, kind)} x{n}" for (kind, verb), n in merged.most_common()
            )
        )
    return lines


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{SHORT.get(k, k)} {n}" for k, n in counter.most_common()) or "-"


def table(rows: Iterable[tuple[str, ...]]) -> list[str]:
    """Rows as aligned text, the first row a header; the first column left-aligned."""
    rows = list(rows)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def render(year: Year, *, seconds: float) -> str:
    """The whole report: months, mix, targets, crowding, the world and the run time."""
    w = year.world
    last = year.days[-1].day if year.days else year.start
    out = [f"A simulated year: small demo, seed {year.seed}, {len(year.days)} days {year.start}..{last}, "
           f"top {TOP} lines done at {year.agenda_at:%H:%M} each day", ""]  # fmt: skip
    out += table(month_rows(year))
    out += ["", "within cadence: share of live tier 1-2 people silent no longer than their cadence at the end "
            "of each day, mean over the month's days (not yet due: silent less than it)", ""]  # fmt: skip
    out += ["Kinds in the lines shown (mean a day)", "", *table(mix_rows(year)), ""]
    for t in targets(year):
        out.append(f"{'PASS' if t.ok else 'FAIL'}  {t.text}: {t.measured}")
    out += ["", "Below the cap (the day's agenda left these waiting):"]
    out += [f"  {line}" for line in crowding(year)] or ["  nothing time-sensitive waited"]
    demoted12 = sum(1 for _, _, tier in year.demoted if tier <= 2)
    # Keys name what a congratulation is for (congrats:birthday:..., congrats:anniversary:...).
    occasions = Counter(s.key.split(":")[1] for d in year.days for s in d.shown if s.kind == "congratulate")
    out += [
        "",
        f"The world: {w.reach_outs} reach-outs ({w.dormant_reached_out} from dormant ties), {w.asked_you} asked "
        f"you for help, {w.helped_you} helped you, {w.asks_planned} asks planned, {w.events} events "
        f"({w.people_met} people met).",
        f"Congratulations shown: {_counts(occasions)}.",
        f"Dormant ties revived (silent {DORMANT_DAYS}+ days, then contacted through an agenda line): "
        f"{sum(1 for r in year.revived if r.kind == 'reactivate')} from reactivate lines, "
        f"{sum(1 for r in year.revived if r.kind != 'reactivate')} through other lines "
        f"({_counts(Counter(r.kind for r in year.revived if r.kind != 'reactivate'))}); moved down a tier by review lines: "
        f"{len(year.demoted)} ({demoted12} of them from tier 1-2); lines skipped as already settled: "
        f"{sum(d.skipped for d in year.days)}; lines shown past the cap (cannot wait): "
        f"{sum(d.past_cap for d in year.days)} on {sum(1 for d in year.days if d.past_cap)} days.",
        "",
        f"Run time {seconds:.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in year.seconds.items()),
    ]
    return "\n".join(out)
