"""Connector tests: fetching from real servers, no database."""
