"""The web app (HTML + HTMX) and the REST API under /api/v1: thin shells over the services."""
