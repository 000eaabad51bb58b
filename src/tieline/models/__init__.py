"""SQLAlchemy mapped classes, one module per aggregate; importing this registers them all."""

from tieline.models.agenda import AgendaListing, AgendaState, Setting
from tieline.models.base import Base, utcnow
from tieline.models.followup import (
    FAVOUR_DIRECTIONS,
    FAVOUR_KINDS,
    FOLLOWUP_STATUSES,
    MILESTONE_KINDS,
    Ask,
    Favour,
    FollowUp,
    Milestone,
)
from tieline.models.imports import DistinctPair, ImportChange, ImportRun, MergeRecord, PersonSource
from tieline.models.interaction import INITIATORS, INTERACTION_KINDS, Interaction, InteractionParticipant
from tieline.models.organisation import ORGANISATION_KINDS, Membership, Organisation
from tieline.models.owner import LOCAL_OWNER_ID, Owner
from tieline.models.person import (
    TOPIC_KINDS,
    Person,
    PersonEmail,
    PersonLink,
    PersonPhone,
    PersonTag,
    PersonTopic,
)
from tieline.models.search import PersonSearch
from tieline.models.tie import Tie

__all__ = [
    "FAVOUR_DIRECTIONS",
    "FAVOUR_KINDS",
    "FOLLOWUP_STATUSES",
    "INITIATORS",
    "INTERACTION_KINDS",
    "LOCAL_OWNER_ID",
    "MILESTONE_KINDS",
    "ORGANISATION_KINDS",
    "TOPIC_KINDS",
    "AgendaListing",
    "AgendaState",
    "Ask",
    "Base",
    "DistinctPair",
    "Favour",
    "FollowUp",
    "ImportChange",
    "ImportRun",
    "Interaction",
    "InteractionParticipant",
    "Membership",
    "MergeRecord",
    "Milestone",
    "Organisation",
    "Owner",
    "Person",
    "PersonEmail",
    "PersonLink",
    "PersonPhone",
    "PersonSearch",
    "PersonSource",
    "PersonTag",
    "PersonTopic",
    "Setting",
    "Tie",
    "utcnow",
]
