"""Every model, imported in one place so that Alembic and the tests see the whole schema."""
from app.accounts.models import Invitation, LoginSession, User
from app.amendments.models import Amendment
from app.audit.models import AuditEntry
from app.comments.models import Comment, CommentFlag, ModerationDecision
from app.declarations.models import (
                                     ConsultationEvent,
                                     Declaration,
                                     DeclarationDrafter,
                                     DeclarationTranslator,
                                     Recommendation,
                                     RecommendationRevision,
                                     Section,
                                     SectionRevision,
                                     Version,
)
from app.form_keys.models import FormKey
from app.institutions.models import Institution
from app.lines.models import EarlierAnswer, EarlierDeclaration, EarlierRecommendation, RecommendationLine
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.opendata.models import OpenDataArchive
from app.organizations.models import Organization
from app.responses.models import Answer, Assessment, ImplementationUpdate
from app.search.models import SearchDocument
from app.settings.models import AllianceSettings
from app.signatures.models import OpenSignonRequest, Reservation, Signature, SignatureReminder
from app.submissions.models import (
                                     DossierPdf,
                                     RecipientDeadline,
                                     Submission,
                                     SubmissionClosure,
                                     SubmissionRecipient,
                                     SubmissionSignature,
                                     SubmittedRecommendation,
)

__all__ = ["FormKey", "Amendment", "Answer", "Assessment", "DossierPdf", "ImplementationUpdate", "Submission",
           "SubmissionClosure", "SubmissionRecipient", "SubmissionSignature", "SubmittedRecommendation", "AuditEntry",
           "Comment", "CommentFlag", "ConsultationEvent", "Declaration", "DeclarationDrafter", "DeclarationTranslator",
           "Institution", "Invitation", "LoginSession", "ModerationDecision", "Notification",
           "OpenSignonRequest", "OutboxMessage", "Organization", "Recommendation", "RecommendationRevision",
           "Reservation", "SearchDocument", "Section", "SectionRevision", "Signature", "SignatureReminder", "User",
           "Version", "AllianceSettings", "EarlierAnswer", "EarlierDeclaration", "EarlierRecommendation",
           "RecommendationLine", "RecipientDeadline", "OpenDataArchive"]
