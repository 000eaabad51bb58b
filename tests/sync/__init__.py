"""Sync tests: real servers (Dovecot, Radicale, an ICS URL) and the sync services over them."""
