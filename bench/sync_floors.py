"""The floors of `python -m bench.sync`: the least work that brings the same data from the same server,
with no processing. `python -m bench.sync_floors KIND SPEC` (KIND imap, caldav or ics; SPEC a JSON
object; the password in BENCH_PASSWORD) prints what it fetched as JSON.

Imports stay light (stdlib at the top, the client library inside each floor): the floor is timed as a
whole process, start-up included, as tieline is.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from typing import Any


def _floor_imap(spec: dict[str, Any]) -> None:
    """The mail floor: log in, find INBOX and \\Sent, and FETCH the same header fields, unprocessed."""
    import ssl

    from imapclient import IMAPClient

    context = ssl.create_default_context(cafile=spec["ca_file"])
    fetched = 0
    with IMAPClient(spec["host"], port=spec["port"], ssl=True, ssl_context=context) as client:
        client.login(spec["user"], os.environ["BENCH_PASSWORD"])
        sent = [name for flags, _, name in client.list_folders() if b"\\Sent" in flags]
        for folder in ["INBOX", *sent]:
            status = client.select_folder(folder, readonly=True)
            if spec["new_only"]:  # nothing new: the UIDs after the newest, as a later sync asks
                fetched += len(client.search(["UID", f"{status[b'UIDNEXT']}:*"])) - 1
                continue
            uids = client.search(["SINCE", date.fromisoformat(spec["since"])])
            for start in range(0, len(uids), 500):
                fetched += len(client.fetch(uids[start : start + 500], [spec["fetch"]]))
    print(json.dumps({"messages": fetched}))


_SYNC_COLLECTION = """<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level>
<D:prop><D:getetag/></D:prop></D:sync-collection>"""
_TOKEN = """<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>"""
_MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/><C:calendar-data/></D:prop>{}</C:calendar-multiget>"""


def _floor_caldav(spec: dict[str, Any]) -> None:
    """The CalDAV floor: the calendar's hrefs by sync-collection, then its objects by multiget of 500."""
    import re

    import httpx

    auth = (spec["user"], os.environ["BENCH_PASSWORD"])
    with httpx.Client(auth=auth, timeout=60) as client:
        if spec.get("quiet"):  # nothing new: ask the calendar for its sync token, once
            answer = client.request("PROPFIND", spec["url"], content=_TOKEN, headers={"Depth": "0"})
            print(json.dumps({"objects": 0, "bytes": len(answer.content)}))
            return
        listing = client.request("REPORT", spec["url"], content=_SYNC_COLLECTION, headers={"Depth": "1"})
        hrefs = re.findall(r"<(?:\w+:)?href>([^<]+\.ics)</", listing.text)
        size = 0
        for start in range(0, len(hrefs), 500):
            body = _MULTIGET.format("".join(f"<D:href>{h}</D:href>" for h in hrefs[start : start + 500]))
            size += len(client.request("REPORT", spec["url"], content=body, headers={"Depth": "1"}).content)
    print(json.dumps({"objects": len(hrefs), "bytes": size}))


def _floor_ics(spec: dict[str, Any]) -> None:
    """The ICS floor: GET the feed (conditionally, for the nothing-new case), unparsed."""
    import httpx

    headers = {"If-None-Match": spec["etag"]} if spec.get("etag") else {}
    answer = httpx.get(spec["url"], headers=headers, timeout=60)
    print(json.dumps({"status": answer.status_code, "bytes": len(answer.content)}))


_FLOORS = {"imap": _floor_imap, "caldav": _floor_caldav, "ics": _floor_ics}


if __name__ == "__main__":
    _FLOORS[sys.argv[1]](json.loads(sys.argv[2]))
