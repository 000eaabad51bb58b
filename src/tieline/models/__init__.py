"""SQLAlchemy mapped classes, one module per aggregate; importing this registers them all."""

from tieline.models.base import Base, utcnow
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

__all__ = [
    "INITIATORS",
    "INTERACTION_KINDS",
    "LOCAL_OWNER_ID",
    "ORGANISATION_KINDS",
    "TOPIC_KINDS",
    "Base",
    "Interaction",
    "InteractionParticipant",
    "Membership",
    "Organisation",
    "Owner",
    "Person",
    "PersonEmail",
    "PersonLink",
    "PersonPhone",
    "PersonSearch",
    "PersonTag",
    "PersonTopic",
    "utcnow",
]
