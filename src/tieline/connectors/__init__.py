"""Fetching from the servers a user connects (issue 15): IMAP mail headers, CalDAV calendars, ICS
URLs. Pure of the database (the `connectors-pure` contract): each connector takes an account's
settings, its secret and where the last sync left off, and returns records (importers/records.py,
the same as an import's) with the cursors to keep; services/sync stores them in one import run.

- `base`: `FetchResult`, `SyncError` (one kind per failure a user can act on).
- `imap`: mail headers over IMAP (imapclient), a cursor per folder (UIDVALIDITY + last UID).
- `calendars`: CalDAV (caldav, sync tokens or ETags) and ICS URLs (conditional GET).
"""
