"""The owner: the user whose network this is. Local mode has exactly one."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, UTCDateTime, utcnow

LOCAL_OWNER_ID = 1


class Owner(Base):
    """A user of tieline; every other row belongs to one."""

    __tablename__ = "owner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text, default="me")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
