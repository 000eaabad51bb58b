"""Fixtures of the sync service tests: passwords kept in the owner-only file, never a real keyring."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail


@pytest.fixture(autouse=True)
def no_system_keyring() -> Iterator[None]:
    """The tests never write to the keyring of whoever runs them: secrets go to the data folder."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)
