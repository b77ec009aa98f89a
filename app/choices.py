"""Fixed vocabularies shared by forms, templates and demo data, with translatable labels."""
from enum import StrEnum

from flask import g, has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ORGANIZATION_TYPES = {
    "ngo": _l("NGO"),
    "think_tank": _l("Think tank"),
    "academic": _l("Academic centre"),
    "network": _l("Network"),
    "media": _l("Media"),
    "other": _l("Other"),
}

PROVINCES = {
    "punjab": _l("Punjab"),
    "sindh": _l("Sindh"),
    "kp": _l("Khyber Pakhtunkhwa"),
    "balochistan": _l("Balochistan"),
    "ict": _l("Islamabad Capital Territory"),
    "gb": _l("Gilgit-Baltistan"),
    "ajk": _l("Azad Jammu and Kashmir"),
}

GENDERS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "other": _l("Another gender"),
}

# The states and roles the code compares, named once. Each is a str, so it equals its stored value
# ("published" == CommentStatus.PUBLISHED) and works in queries, forms and templates alike.

class PlatformRole(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    REVIEWER = "reviewer"


class OrganizationRole(StrEnum):
    REPRESENTATIVE = "representative"
    MEMBER = "member"


class Phase(StrEnum):
    DRAFTING = "drafting"
    CONSULTATION = "consultation"
    REVISION = "revision"
    SIGNON = "signon"
    SUBMITTED = "submitted"
    RESPONDED = "responded"


class CommentStatus(StrEnum):
    PENDING = "pending"        # pre-moderation: waiting for a coordinator
    PUBLISHED = "published"
    HIDDEN = "hidden"          # taken down after publication, with a reason shown to the author
    REJECTED = "rejected"      # never published


class AmendmentStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SignatureStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"  # replaced by a re-confirmation on a newer version
    REJECTED = "rejected"      # an outside signature a coordinator did not approve


PLATFORM_ROLES = {
    PlatformRole.ADMIN: _l("Admin"),
    PlatformRole.COORDINATOR: _l("Coordinator"),
    PlatformRole.REVIEWER: _l("Government reviewer"),
}

ORGANIZATION_ROLES = {
    OrganizationRole.REPRESENTATIVE: _l("Representative"),
    OrganizationRole.MEMBER: _l("Member"),
}

LANGUAGES = {"en": "English", "ur": "اردو"}
# The same languages named in the reader's language ("on the Urdu text"): LANGUAGES names each in itself.
LANGUAGE_NAMES = {"en": _l("English"), "ur": _l("Urdu")}


def label(vocabulary: dict, key: str | None) -> str:
    """The translated label for a stored key, or an empty string. Remembered for the request, per
    language, because long pages ask for the same few labels thousands of times."""
    if not key:
        return ""
    if not has_app_context():
        return str(vocabulary.get(key, ""))
    cache = g.setdefault("_labels", {})
    cache_key = (id(vocabulary), key, str(get_locale()))
    if cache_key not in cache:
        cache[cache_key] = str(vocabulary.get(key, ""))
    return cache[cache_key]

PILLARS = {
    "prevent": _l("Prevent"),
    "pursue": _l("Pursue"),
    "protect": _l("Protect"),
    "promote": _l("Promote"),
}

THEMES = {
    "trafficking": _l("Trafficking in persons"),
    "smuggling": _l("Smuggling of migrants"),
    "firearms": _l("Illicit firearms"),
    "cybercrime": _l("Cybercrime"),
    "money_laundering": _l("Money laundering"),
    "drugs": _l("Drug trafficking"),
    "corruption": _l("Corruption"),
    "victims": _l("Victim and witness protection"),
}

DECLARATION_KINDS = {
    "declaration": _l("Declaration"),
    "recommendations": _l("Recommendation set"),
}

PHASES = {
    Phase.DRAFTING: _l("Drafting"),
    Phase.CONSULTATION: _l("Consultation"),
    Phase.REVISION: _l("Revision"),
    Phase.SIGNON: _l("Sign-on"),
    Phase.SUBMITTED: _l("Submitted"),
    Phase.RESPONDED: _l("Responded"),
}
# After submission the signatures behind the dossier no longer change (no withdrawal, no approval).
SUBMITTED_PHASES = (Phase.SUBMITTED, Phase.RESPONDED)

MODERATION_MODES = {
    "post": _l("Post-moderation: comments appear at once and can be hidden"),
    "pre": _l("Pre-moderation: comments wait for a coordinator's approval"),
}

VISIBILITIES = {
    "members": _l("Alliance members only"),
    "public": _l("Public"),
}

NOTIFICATION_MODES = {
    "immediate": _l("Immediately, one email per event"),
    "daily": _l("Once a day, in a digest"),
    "none": _l("Never"),
}

SIGNATURE_VISIBILITIES = {
    "public": _l("Public: anyone can see the name"),
    "alliance": _l("Alliance and government only"),
    "coordinators": _l("Coordinators only (for signers at risk)"),
}

SIGNATURE_CAPACITIES = {
    "organization": _l("On behalf of an organization"),
    "individual": _l("As an individual expert"),
}

# What a signature is now; "pending" is not a status but a state: not yet verified or approved.
SIGNATURE_STATUSES = {
    SignatureStatus.ACTIVE: _l("Signed"),
    SignatureStatus.WITHDRAWN: _l("Withdrawn"),
    SignatureStatus.SUPERSEDED: _l("Replaced by a re-confirmation"),
    SignatureStatus.REJECTED: _l("Rejected"),
}

POSITIONS = {
    "supported": _l("Supported"),
    "partially": _l("Partially supported"),
    "noted": _l("Noted"),
    "not_supported": _l("Not supported"),
}

IMPLEMENTATION_STATUSES = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "implemented": _l("Implemented"),
}

ASSESSMENTS = {
    "agrees": _l("The alliance agrees"),
    "partly": _l("The alliance partly agrees"),
    "disagrees": _l("The alliance disagrees"),
}
