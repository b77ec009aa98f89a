"""Fixed vocabularies shared by forms, templates and demo data, with translatable labels."""
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

PLATFORM_ROLES = {
    "admin": _l("Admin"),
    "coordinator": _l("Coordinator"),
    "reviewer": _l("Government reviewer"),
}

ORGANIZATION_ROLES = {
    "representative": _l("Representative"),
    "member": _l("Member"),
}

LANGUAGES = {"en": "English", "ur": "اردو"}


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
    "drafting": _l("Drafting"),
    "consultation": _l("Consultation"),
    "revision": _l("Revision"),
    "signon": _l("Sign-on"),
    "submitted": _l("Submitted"),
    "responded": _l("Responded"),
}

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
    "active": _l("Signed"),
    "withdrawn": _l("Withdrawn"),
    "superseded": _l("Replaced by a re-confirmation"),
    "rejected": _l("Rejected"),
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
