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

# The words the alliance's assessments had before the completion scale (below). Assessments stored with them stay
# as they were and are shown with these labels; no new one takes them, and none is mapped onto the scale.
ASSESSMENTS = {
    "agrees": _l("The alliance agrees"),
    "partly": _l("The alliance partly agrees"),
    "disagrees": _l("The alliance disagrees"),
}

# A position that does not simply accept a recommendation must say why (the Open Government Partnership's
# "reasoned response"); "supported" must say who leads or by when (app/responses/services.py).
REASONED_POSITIONS = ("partially", "noted", "not_supported")

# The alliance's independent assessment of how far a recommendation is implemented: the Open Government
# Partnership's completion scale. The government's own updates keep their words (IMPLEMENTATION_STATUSES).
COMPLETION = {
    "no_evidence": _l("No evidence available"),
    "not_started": _l("Not started"),
    "limited": _l("Limited"),
    "substantial": _l("Substantial"),
    "complete": _l("Complete"),
}
# Every rating an assessment may carry, to show one: the scale, then the earlier words (ASSESSMENTS).
ASSESSMENT_RATINGS = {**COMPLETION, **ASSESSMENTS}

# Classification of a recommendation (keys are stored, in URLs and in the CSV import; labels are shown).
# The UN Convention against Transnational Organized Crime (UNTOC), its articles most asked about, and its
# three protocols with theirs.
UNTOC_PROVISIONS = {
    "untoc-5": _l("UNTOC art. 5: participation in an organized criminal group"),
    "untoc-6": _l("UNTOC art. 6: laundering of the proceeds of crime"),
    "untoc-7": _l("UNTOC art. 7: measures against money-laundering"),
    "untoc-8": _l("UNTOC art. 8: corruption"),
    "untoc-10": _l("UNTOC art. 10: liability of legal persons"),
    "untoc-12": _l("UNTOC art. 12: confiscation and seizure"),
    "untoc-16": _l("UNTOC art. 16: extradition"),
    "untoc-18": _l("UNTOC art. 18: mutual legal assistance"),
    "untoc-20": _l("UNTOC art. 20: special investigative techniques"),
    "untoc-24": _l("UNTOC art. 24: protection of witnesses"),
    "untoc-25": _l("UNTOC art. 25: assistance to and protection of victims"),
    "untoc-27": _l("UNTOC art. 27: law enforcement cooperation"),
    "untoc-29": _l("UNTOC art. 29: training and technical assistance"),
    "untoc-31": _l("UNTOC art. 31: prevention"),
    "tip": _l("Trafficking in Persons Protocol"),
    "tip-5": _l("Trafficking in Persons Protocol art. 5: criminalization"),
    "tip-6": _l("Trafficking in Persons Protocol art. 6: assistance to and protection of victims"),
    "tip-9": _l("Trafficking in Persons Protocol art. 9: prevention of trafficking"),
    "som": _l("Smuggling of Migrants Protocol"),
    "som-6": _l("Smuggling of Migrants Protocol art. 6: criminalization"),
    "som-16": _l("Smuggling of Migrants Protocol art. 16: protection and assistance"),
    "firearms": _l("Firearms Protocol"),
}

# Sustainable Development Goal targets on organized crime, trafficking and smuggling.
SDG_TARGETS = {
    "5.2": _l("SDG 5.2: end violence against women and girls, including trafficking"),
    "8.7": _l("SDG 8.7: end forced labour, modern slavery, human trafficking and child labour"),
    "10.7": _l("SDG 10.7: orderly, safe, regular and responsible migration"),
    "16.1": _l("SDG 16.1: reduce all forms of violence"),
    "16.2": _l("SDG 16.2: end abuse, exploitation, trafficking and violence against children"),
    "16.3": _l("SDG 16.3: the rule of law and equal access to justice"),
    "16.4": _l("SDG 16.4: reduce illicit financial and arms flows, combat organized crime"),
    "16.5": _l("SDG 16.5: reduce corruption and bribery"),
    "16.a": _l("SDG 16.a: strengthen institutions to prevent violence and combat crime"),
}

# The people a recommendation concerns.
GROUPS = {
    "women": _l("Women and girls"),
    "children": _l("Children"),
    "migrants": _l("Migrants"),
    "refugees": _l("Refugees and displaced people"),
    "victims_witnesses": _l("Victims and witnesses"),
    "bonded_labourers": _l("Bonded and forced labourers"),
    "transgender": _l("Transgender people"),
    "minorities": _l("Religious and ethnic minorities"),
    "disabilities": _l("People with disabilities"),
}
