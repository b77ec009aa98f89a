from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import CommentStatus
from app.extensions import db
from app.time import utcnow

# pending: waits for approval (pre-moderation); published: visible; hidden: taken down with a reason;
# rejected: refused before publication. Only published comments are shown, counted or searched; in a thread and
# its export a comment that is not shown leaves a placeholder when it holds replies (a hidden one always).


class Comment(db.Model):
    """A comment on a section, a recommendation or an amendment; a reply's parent is the comment it answers
    (threads are at most three levels deep: app/comments/services.py, MAX_DEPTH)."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # ix_comments_author_status
    # The author's organization when writing, so moderation can avoid a coordinator's own organization.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Which language's text of a bilingual declaration the comment was written on (None: a one-language text).
    language: Mapped[str | None] = mapped_column(String(2))
    version_number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=CommentStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    author: Mapped["User"] = relationship()  # noqa: F821
    organization: Mapped["Organization | None"] = relationship()  # noqa: F821
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])
    declaration: Mapped["Declaration"] = relationship()  # noqa: F821

    @property
    def target_key(self) -> str:
        if self.section_id:
            return f"section-{self.section_id}"
        if self.recommendation_id:
            return f"recommendation-{self.recommendation_id}"
        return f"amendment-{self.amendment_id}"


Index("ix_comments_section", Comment.section_id, Comment.status)
Index("ix_comments_recommendation", Comment.recommendation_id, Comment.status)
Index("ix_comments_amendment", Comment.amendment_id, Comment.status)
Index("ix_comments_declaration", Comment.declaration_id, Comment.status)
# The comments held for moderation, counted on the coordinator's home page from the index alone
# (app/home/work.py moderation_counts).
Index("ix_comments_status", Comment.status, Comment.deleted_at)
# A person's comments, and those of theirs held for moderation (the home page: news_for, own_pending).
Index("ix_comments_author_status", Comment.author_id, Comment.status)


class CommentFlag(db.Model):
    """Someone's report that a comment breaks the rules; open until a coordinator decides."""

    __tablename__ = "comment_flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)  # the open flags (moderation_counts)

    user: Mapped["User"] = relationship()  # noqa: F821


class ModerationDecision(db.Model):
    """A coordinator's decision on a comment; the moderation history is the list of these."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    # The text as it stood when the decision was taken: the record keeps what was moderated even if the
    # author later deletes the comment.
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moderator: Mapped["User"] = relationship()  # noqa: F821
    comment: Mapped[Comment] = relationship()
