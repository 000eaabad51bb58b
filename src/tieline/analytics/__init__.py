"""Read-only network analytics: the graph of who knows whom, common ground, introductions worth
making, reactivation and warm paths, and the statistics behind `tieline stats` and the HTML report.

Modules (each returns plain dataclasses; nothing here writes to the database):

- `graph`: `build_network()` -> `Network` (people, "knows" links with evidence and a strength).
- `measures`: pure formulas (Burt's constraint and effective size, normalised entropy, Adamic-Adar).
- `common`: `common_ground()` for you and a person, or two people.
- `intros`: `suggest_intros()` (pairs who could help each other), `suggest_people()` (for yourself).
- `paths`: `resolve_target()` (a person or an organisation, as typed), `find_path()` (strongest chain),
  `suggest_reconnect()`, `suggest_ask()` (job search).
- `brokerage`: ego brokerage, `clusters()`, `bridges()`, `network_map()` -> `NetworkMap` for pictures.
- `people_map`: the Network page's map: your strongest ties in groups, each labelled by what its
  members share, names only for the people who matter (hubs, your closest, bridges, the one searched).
- `stats`: `network_stats()` -> `NetworkStats`; `stats_map(net, stats)` reuses its clusters and bridges.

The report: `net = build_network(...)`, `s = network_stats(..., network=net)`, `stats_map(net, s)`.
"""
