"""The connector tests use the sync tests' real servers (tests/sync/conftest.py)."""

from tests.sync.conftest import dovecot, ics_site, ics_tls_site, radicale

__all__ = ["dovecot", "ics_site", "ics_tls_site", "radicale"]
