"""Full-text search behind one function: FTS5 on SQLite, tsvector on PostgreSQL.

Declarations and comments announce saved and removed text (app/declarations/signals.py); index() and
remove() receive it and keep search_documents in step. search() applies visibility and moderation again
when reading, so a hidden comment or a members-only text never shows to the wrong person.
"""
import re

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import selectinload

from app import permissions
from app.choices import CommentStatus
from app.comments.models import Comment
from app.declarations.models import Declaration, Recommendation, Section
from app.extensions import db
from app.search.models import SearchDocument

_WORD = re.compile(r"\w+", re.UNICODE)


def _document_fields(obj) -> tuple[str, int, int, str, str]:
    table = obj.__tablename__
    if table == "declarations":
        return "declaration", obj.id, obj.id, obj.title, obj.summary
    if table == "sections":
        return "section", obj.id, obj.declaration_id, obj.current.heading, obj.current.body_source
    if table == "recommendations":
        return "recommendation", obj.id, obj.declaration_id, "", obj.current.text_source
    if table == "comments":
        return "comment", obj.id, obj.declaration_id, "", obj.body_source
    raise ValueError(f"not searchable: {table}")


def index(obj) -> None:
    """Add or replace the searchable text of a declaration, section, recommendation or comment."""
    kind, object_id, declaration_id, title, body = _document_fields(obj)
    document = db.session.scalar(select(SearchDocument).where(SearchDocument.kind == kind,
                                                              SearchDocument.object_id == object_id))
    if document is None:
        document = SearchDocument(kind=kind, object_id=object_id)
        db.session.add(document)
    document.declaration_id, document.title, document.body = declaration_id, title[:300], body


def remove(obj) -> None:
    kind = _document_fields(obj)[0]
    db.session.execute(delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.object_id == obj.id))


# Only documents of declarations the reader may see, and no comment that is not published (or that
# belongs to an amendment a coordinator took down).
_FILTER = """d.declaration_id IN :declarations AND NOT (d.kind = 'comment' AND d.object_id IN
             (SELECT c.id FROM comments c LEFT JOIN amendments a ON a.id = c.amendment_id
              WHERE c.status <> 'published' OR c.deleted_at IS NOT NULL OR a.hidden_at IS NOT NULL))"""


def _matching_ids(query: str, limit: int, declaration_ids: list[int]) -> list[int]:
    words = _WORD.findall(query)[:12]
    if not words or not declaration_ids:
        return []
    if db.engine.dialect.name == "postgresql":
        # Words are \w+ only, quoted as lexemes; the last one also matches as a prefix, as on SQLite.
        tsquery = " & ".join(f"'{w.lower()}'" for w in words) + ":*"
        sql = text(f"""SELECT d.id FROM search_documents d
                       WHERE to_tsvector('simple', d.title || ' ' || d.body) @@ to_tsquery('simple', :q) AND {_FILTER}
                       ORDER BY ts_rank(to_tsvector('simple', d.title || ' ' || d.body), to_tsquery('simple', :q)) DESC
                       LIMIT :limit""")
        params = {"q": tsquery}
    else:
        # Each word quoted: FTS5 syntax in the user's text is taken literally, words are ANDed, the last one
        # also matches as a prefix so that a half-typed word finds something.
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words) + "*"
        sql = text(f"""SELECT d.id FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid
                       WHERE search_fts MATCH :q AND {_FILTER} ORDER BY search_fts.rank LIMIT :limit""")
        params = {"q": match}
    sql = sql.bindparams(bindparam("declarations", expanding=True))
    return list(db.session.scalars(sql, {**params, "limit": limit, "declarations": declaration_ids}))


def search(query: str, user, limit: int = 50) -> list[dict]:
    """Results the user may see: [{kind, declaration, object, snippet}], best first."""
    declarations = {d.id: d for d in db.session.scalars(select(Declaration).options(selectinload(Declaration.drafters)))
                    if permissions.can_view_declaration(user, d)}
    ids = _matching_ids(query, limit, list(declarations))
    if not ids:
        return []
    documents = {d.id: d for d in db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))}
    by_kind: dict[str, set[int]] = {}
    for document in documents.values():
        by_kind.setdefault(document.kind, set()).add(document.object_id)
    models = {"section": Section, "recommendation": Recommendation, "comment": Comment}
    options = {"section": [selectinload(Section.current)], "recommendation": [selectinload(Recommendation.current)],
               "comment": [selectinload(Comment.author)]}
    objects = {(kind, obj.id): obj for kind, model in models.items() if by_kind.get(kind)
               for obj in db.session.scalars(select(model).options(*options[kind])
                                             .where(model.id.in_(by_kind[kind])))}
    results = []
    for document_id in ids:
        document = documents.get(document_id)
        declaration = declarations.get(document.declaration_id) if document else None
        if declaration is None:
            continue
        obj = declaration if document.kind == "declaration" else objects.get((document.kind, document.object_id))
        if obj is None or getattr(obj, "deleted_at", None) is not None:
            continue
        if document.kind == "comment" and obj.status != CommentStatus.PUBLISHED:
            continue
        results.append({"kind": document.kind, "declaration": declaration, "object": obj,
                        "snippet": _snippet(document.body or document.title, query)})
        if len(results) >= limit:
            break
    return results


def _snippet(body: str, query: str, width: int = 220) -> str:
    words = _WORD.findall(query)
    lower = body.lower()
    positions = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
    start = max(0, min(positions) - 60) if positions else 0
    snippet = body[start:start + width].replace("\n", " ")
    return ("… " if start else "") + snippet + (" …" if start + width < len(body) else "")
