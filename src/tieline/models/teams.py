"""Teams (issue 19): accounts that share, by consent, only that they know someone and how well.

A member shares nothing until they set a rule (all people, a tier, a tag, single people). What is
shared of each person is `TeamShare`: the person's name, current organisation and title, the
member's tie as a band and the year it began. Two members knowing the same person are recognised by
`TeamShareKey`: an HMAC-SHA256, under the team's own `hash_key`, of each normalised email and
LinkedIn URL: never the values themselves. No email, phone, note, interaction, favour or score is
stored in any of these tables (tests/teams/test_privacy.py looks).

`IntroRequest` is a member asking a teammate for an introduction to someone they share, and
`TeamAudit` what was asked of each member's shares, by whom and when (services/team_requests.py).

These tables are between accounts, not of one network: a backup (`tieline backup`) leaves them out
(services/backup_restore.py, SERVER_TABLES). The agenda reads none of them (db.NOT_AGENDA_TABLES) but
`intro_request`, whose `owner_id` is the member asked: the request is on their agenda.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, UTCDateTime, utcnow

TEAM_ROLES = ("owner", "member")
SHARE_RULE_KINDS = ("all", "tier", "tag", "person")
BANDS = ("strong", "medium", "weak")
REQUEST_STATES = ("asked", "accepted", "declined", "withdrawn")
AUDIT_WHAT = ("who_organisation", "who_person", "intro_request")


class Team(Base):
    """A team of accounts; `hash_key` is the secret its members' matching keys are made with."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    hash_key: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamMember(Base):
    """An account in a team. `shares_at` and `shares_stamp` say when, and from which state of the
    member's data (`agenda_cache.data_stamp`), their shared entries were last computed."""

    __tablename__ = "team_member"
    __table_args__ = (sa.CheckConstraint("role IN ('owner', 'member')", name="role_known"),)

    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shares_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shares_stamp: Mapped[str | None] = mapped_column(sa.String(16))


class TeamInvite(Base):
    """A single-use invitation: the link holds a random token, the row only its SHA-256."""

    __tablename__ = "team_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[int | None] = mapped_column(sa.ForeignKey("owner.id", ondelete="SET NULL"), index=True)


class TeamShareRule(Base):
    """What a member chose to share with a team: everyone ('all'), a tier ('1'-'5'), a tag, or one
    person (their id). A member leaving (their `team_member` row deleted) takes their rules along."""

    __tablename__ = "team_share_rule"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('all', 'tier', 'tag', 'person')", name="kind_known"),
        sa.UniqueConstraint("team_id", "owner_id", "kind", "value", name="uq_team_share_rule"),
        sa.ForeignKeyConstraint(
            ["team_id", "owner_id"],
            ["team_member.team_id", "team_member.owner_id"],
            ondelete="CASCADE",
            name="fk_team_share_rule_member",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int]
    owner_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(10))
    value: Mapped[str] = mapped_column(sa.String(200), default="")


class TeamShare(Base):
    """One person a member shares with a team: the shared fields, and nothing else.

    `name_key` and `organisation_key` are the folded forms of `name` and `organisation`, for
    matching; `band` is the member's tie (strong, medium, weak), `since_year` the year it began."""

    __tablename__ = "team_share"
    __table_args__ = (
        sa.CheckConstraint("band IN ('strong', 'medium', 'weak')", name="band_known"),
        sa.UniqueConstraint("team_id", "owner_id", "person_id", name="uq_team_share_person"),
        sa.ForeignKeyConstraint(
            ["team_id", "owner_id"],
            ["team_member.team_id", "team_member.owner_id"],
            ondelete="CASCADE",
            name="fk_team_share_member",
        ),
        sa.Index("ix_team_share_team_organisation", "team_id", "organisation_key"),
        sa.Index("ix_team_share_team_name", "team_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int]
    owner_id: Mapped[int]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    name_key: Mapped[str] = mapped_column(sa.Text)
    organisation: Mapped[str | None] = mapped_column(sa.Text)
    organisation_key: Mapped[str | None] = mapped_column(sa.Text)
    title: Mapped[str | None] = mapped_column(sa.Text)
    band: Mapped[str] = mapped_column(sa.String(10))
    since_year: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamShareKey(Base):
    """A keyed hash of one of a shared person's emails or LinkedIn URL: HMAC-SHA256 under the team's
    `hash_key` of "email:<lower-cased address>" or "linkedin:<linkedin.com/in/slug>"."""

    __tablename__ = "team_share_key"

    share_id: Mapped[int] = mapped_column(
        sa.ForeignKey("team_share.id", ondelete="CASCADE"), primary_key=True
    )
    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)


class IntroRequest(Base):
    """A member asking a teammate for an introduction to someone the teammate shares.

    `owner_id` is the holder (the teammate asked): the request is theirs to answer and sits on their
    agenda, so a write of it marks their cached agenda stale (db.py). `asker_id` is the member asking.
    `person_name` and `organisation` are the shared entry's as the asker saw them, kept when the entry
    goes (`share_id` and `person_id` then become NULL). Accepting makes, in the holder's data, an
    introduction (`introduction_id`) in state proposed: their double opt-in flow."""

    __tablename__ = "intro_request"
    __table_args__ = (
        sa.CheckConstraint("state IN ('asked', 'accepted', 'declined', 'withdrawn')", name="state_known"),
        sa.Index("ix_intro_request_team_asker", "team_id", "asker_id"),
        sa.Index("ix_intro_request_owner_state", "owner_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    asker_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"))
    share_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("team_share.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"), index=True)
    person_name: Mapped[str] = mapped_column(sa.Text)
    organisation: Mapped[str | None] = mapped_column(sa.Text)
    why: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(10), default="asked")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    introduction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("introduction.id", ondelete="SET NULL"), index=True
    )


class TeamAudit(Base):
    """What was asked of a member's shares: by whom (`asker_id`), what (`what`: an organisation, a
    person, an introduction), the organisation or the shared person's name asked about (`query`),
    how many of the member's (`owner_id`) entries matched, and when. Shown to that member only."""

    __tablename__ = "team_audit"
    __table_args__ = (
        sa.CheckConstraint("what IN ('who_organisation', 'who_person', 'intro_request')", name="what_known"),
        sa.Index("ix_team_audit_team_owner_at", "team_id", "owner_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    asker_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(sa.String(20))
    query: Mapped[str] = mapped_column(sa.Text)
    matched: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
