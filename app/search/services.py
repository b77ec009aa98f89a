"""Full-text search behind one function: FTS5 on SQLite, tsvector on PostgreSQL.

Declarations and comments announce saved and removed text (app/declarations/signals.py); index() and
remove() receive it and keep search_documents in step. search() applies visibility and moderation again
when reading, so a hidden comment or a members-only text never shows to the wrong person.

A bilingual declaration's part has one document holding both languages' text (the original's heading or
title in the title column, everything else in the body): a word in either language finds the part once, and
search() tells which language's text it was found in, to show and link to that text. The stored text is
folded (app/search/text.py) so that every way of typing an Urdu word finds it, on both databases.
"""
from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import selectinload

from app import permissions
from app.choices import CommentStatus
from app.comments.models import Comment
from app.declarations.models import Declaration, Recommendation, Section
from app.extensions import db
from app.search.models import SearchDocument
from app.search.text import fold, matches, snippet, words


def _joined(*texts: str) -> str:
    return "\n\n".join(t for t in texts if t)


def _document_fields(obj) -> tuple[str, int, int, str, str]:
    """(kind, object id, declaration id, title, body): the text of both languages of a bilingual declaration."""
    table = obj.__tablename__
    if table == "declarations":
        return "declaration", obj.id, obj.id, obj.title, _joined(obj.summary, obj.title_translation,
                                                                   obj.summary_translation)
    if table == "sections":
        other = obj.translation
        return "section", obj.id, obj.declaration_id, obj.current.heading, _joined(
            obj.current.body_source, other.heading if other else "", other.body_source if other else "")
    if table == "recommendations":
        other = obj.translation
        return "recommendation", obj.id, obj.declaration_id, "", _joined(obj.current.text_source,
                                                                         other.text_source if other else "")
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
    document.declaration_id, document.title, document.body = declaration_id, fold(title)[:300], fold(body)


def remove(obj) -> None:
    kind = _document_fields(obj)[0]
    db.session.execute(delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.object_id == obj.id))


# Only documents of declarations the reader may see, and no comment that is not published (or that
# belongs to an amendment a coordinator took down).
_FILTER = """d.declaration_id IN :declarations AND NOT (d.kind = 'comment' AND d.object_id IN
             (SELECT c.id FROM comments c LEFT JOIN amendments a ON a.id = c.amendment_id
              WHERE c.status <> 'published' OR c.deleted_at IS NOT NULL OR a.hidden_at IS NOT NULL))"""


def _matching_ids(query_words: list[str], limit: int, declaration_ids: list[int]) -> list[int]:
    if not query_words or not declaration_ids:
        return []
    if db.engine.dialect.name == "postgresql":
        # Words are \w+ only, quoted as lexemes; the last one also matches as a prefix, as on SQLite.
        tsquery = " & ".join(f"'{w}'" for w in query_words) + ":*"
        sql = text(f"""SELECT d.id FROM search_documents d
                       WHERE to_tsvector('simple', d.title || ' ' || d.body) @@ to_tsquery('simple', :q) AND {_FILTER}
                       ORDER BY ts_rank(to_tsvector('simple', d.title || ' ' || d.body), to_tsquery('simple', :q)) DESC
                       LIMIT :limit""")
        params = {"q": tsquery}
    else:
        # Each word quoted: FTS5 syntax in the user's text is taken literally, words are ANDed, the last one
        # also matches as a prefix so that a half-typed word finds something.
        match = " ".join('"' + w.replace('"', '""') + '"' for w in query_words) + "*"
        sql = text(f"""SELECT d.id FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid
                       WHERE search_fts MATCH :q AND {_FILTER} ORDER BY search_fts.rank LIMIT :limit""")
        params = {"q": match}
    sql = sql.bindparams(bindparam("declarations", expanding=True))
    return list(db.session.scalars(sql, {**params, "limit": limit, "declarations": declaration_ids}))


def search(query: str, user, limit: int = 50, prefer: str | None = None) -> list[dict]:
    """Results the user may see, best first: [{kind, declaration, object, language, heading, snippet, title,
    title_language}]. For a part of a declaration, language is the language whose text has the most of the
    query's words (prefer's on a tie: the reader's), heading and snippet that language's; a comment's language
    is None (the commenter's own words, in whatever language they wrote them). title is the declaration's, in
    title_language."""
    query_words = words(query)[:12]
    declarations = {d.id: d for d in db.session.scalars(select(Declaration).options(selectinload(Declaration.drafters)))
                    if permissions.can_view_declaration(user, d)}
    ids = _matching_ids(query_words, limit, list(declarations))
    if not ids:
        return []
    documents = {d.id: d for d in db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))}
    by_kind: dict[str, set[int]] = {}
    for document in documents.values():
        by_kind.setdefault(document.kind, set()).add(document.object_id)
    models = {"section": Section, "recommendation": Recommendation, "comment": Comment}
    options = {"section": [selectinload(Section.current), selectinload(Section.translation)],
               "recommendation": [selectinload(Recommendation.current), selectinload(Recommendation.translation)],
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
        language, heading, body = _found_in(document.kind, declaration, obj, query_words, prefer)
        title_language = _title_language(declaration, language or prefer)
        results.append({"kind": document.kind, "declaration": declaration, "object": obj, "language": language,
                        "heading": heading, "snippet": snippet(body, query_words), "title_language": title_language,
                        "title": declaration.title_in(title_language)})
        if len(results) >= limit:
            break
    return results


def _title_language(declaration: Declaration, language: str | None) -> str:
    """The language the declaration's title is shown in beside a result: the result's, if the title has it."""
    if language == declaration.translation_language and declaration.title_translation:
        return language
    return declaration.language


def _texts(kind: str, declaration: Declaration, obj) -> dict:
    """{language: (heading, text to show, all its searchable text)} for each language the object has text in."""
    if kind == "comment":
        return {None: ("", obj.body_source, obj.body_source)}
    texts = {}
    for language in declaration.languages:
        if kind == "declaration":
            if language == declaration.language or declaration.title_translation:
                title, summary = declaration.title_in(language), declaration.summary_in(language)
                texts[language] = (title, summary or title, f"{title}\n{summary}")
            continue
        revision = obj.revision_in(language)
        if revision is None:
            continue
        if kind == "section":
            texts[language] = (revision.heading, revision.body_source, f"{revision.heading}\n{revision.body_source}")
        else:
            texts[language] = ("", revision.text_source, revision.text_source)
    return texts


def _found_in(kind: str, declaration: Declaration, obj, query_words: list[str], prefer: str | None):
    """(language, heading, text) of the object's language whose text has the most of the query's words."""
    texts = _texts(kind, declaration, obj)
    order = sorted(texts, key=lambda language: (-matches(texts[language][2], query_words), language != prefer))
    language = order[0]
    return language, texts[language][0], texts[language][1]
