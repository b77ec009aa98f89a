"""Fixed vocabularies shared by forms, templates and demo data, with translatable labels."""
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
    """The translated label for a stored key, or an empty string."""
    return str(vocabulary.get(key, "")) if key else ""
