"""tieline: a local-first relationship and networking manager for professionals."""

__version__ = "0.1.0"
