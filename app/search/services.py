"""Full-text search behind one function: FTS5 on SQLite, tsvector on PostgreSQL.

Declarations and comments announce saved and removed text (app/declarations/signals.py); index() and
remove() receive it and keep search_documents in step. search() applies visibility and moderation again
when reading, so a hidden comment or a members-only text never shows to the wrong person.

A bilingual declaration's part has one document holding both languages' text (the original's heading or
title in the title column, everything else in the body): a word in either language finds the part once, and
search() tells which language's text it was found in, to show and link to that text. The stored text is
folded (app/search/text.py) so that every way of typing an Urdu word finds it, on both databases.
"""
from sqlalchemy import and_, column, delete, func, literal_column, or_, select, table, text
from sqlalchemy.orm import selectinload

from app import permissions
from app.amendments.models import Amendment
from app.choices import CommentStatus
from app.comments.models import Comment
from app.declarations.models import (
    Declaration,
    DeclarationDrafter,
    DeclarationTranslator,
    Recommendation,
    Section,
)
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


# How many matches are ranked: the newest RANKED matches this person may see (by document, newest first), ranked
# best first and paged. A common word then costs what a rare one does; a search that finds more says so, and
# asks for more words. (Ranking every match before the limit cost as much as the matches, on both databases.)
RANKED = 200
PAGE_SIZE = 20


def _shown(statement, user, documents=SearchDocument):
    """Only documents of declarations the reader may see (permissions.declaration_visible_clause, the SQL twin of
    can_view_declaration), of parts not deleted, and no comment that is not published (or that belongs to an
    amendment a coordinator took down). Joins by primary key (not EXISTS, which PostgreSQL may turn into a hash of
    every comment), so that each document read costs a few index lookups."""
    kind, object_id = documents.kind, documents.object_id
    statement = (statement.join(Declaration, Declaration.id == documents.declaration_id)
                 .outerjoin(Section, and_(kind == "section", Section.id == object_id))
                 .outerjoin(Recommendation, and_(kind == "recommendation", Recommendation.id == object_id))
                 .outerjoin(Comment, and_(kind == "comment", Comment.id == object_id))
                 .outerjoin(Amendment, Amendment.id == Comment.amendment_id))
    return statement.where(
        permissions.declaration_visible_clause(user, Declaration, DeclarationDrafter, DeclarationTranslator),
        or_(kind == "declaration", and_(kind == "section", Section.id.is_not(None), Section.deleted_at.is_(None)),
            and_(kind == "recommendation", Recommendation.id.is_not(None), Recommendation.deleted_at.is_(None)),
            and_(kind == "comment", Comment.status == CommentStatus.PUBLISHED, Comment.deleted_at.is_(None),
                 Amendment.hidden_at.is_(None))))


# On PostgreSQL, a word in more than this share of the documents is read newest first from the table (each row's
# text checked, about 201 / COMMON rows at most), a rarer one from the GIN index (its matches, fewer than COMMON of
# the documents). The planner cannot tell which, for a prefix query; the lexeme frequencies ANALYZE keeps can.
COMMON = 0.1
VECTOR = "to_tsvector('simple', search_documents.title || ' ' || search_documents.body)"  # the index's (0002)


def _share_on_postgresql(query_words: list[str]) -> float:
    """The estimated share of the documents that have every word (the last also as a prefix), from pg_stats."""
    row = db.session.execute(text(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = 'ix_search_documents_fulltext'")).first()
    if row is None or row[0] is None:
        return 0.0
    frequencies = dict(zip(row[0], row[1], strict=False))
    share = 1.0
    for n, word in enumerate(query_words):
        last = n == len(query_words) - 1
        share *= min(1.0, sum(f for e, f in frequencies.items() if e.startswith(word)) if last
                     else frequencies.get(word, 0.0))
    return share


def _matches(query_words: list[str], user, newest: int):
    """The newest `newest` matching documents this person may see: (document id, score — lower is better)."""
    if db.engine.dialect.name == "postgresql":
        # Words are \\w+ only, quoted as lexemes; the last one also matches as a prefix, as on SQLite.
        tsquery = " & ".join(f"'{w}'" for w in query_words) + ":*"
        match = text(f"{VECTOR} @@ to_tsquery('simple', :q)").bindparams(q=tsquery)
        score = -func.ts_rank(literal_column(VECTOR), func.to_tsquery("simple", tsquery))
        if _share_on_postgresql(query_words) >= COMMON:  # newest rows first, each checked, without the index
            match = text(f"{VECTOR[:-1]} || '') @@ to_tsquery('simple', :q)").bindparams(q=tsquery)
            statement = select(SearchDocument.id.label("id"), score.label("score")).where(match)
            return _shown(statement, user).order_by(SearchDocument.id.desc()).limit(newest).subquery()
        # A rarer word: its matches from the index first (OFFSET 0 keeps the planner from reading the table in
        # order instead), the newest of those shown, then only those ranked.
        found = select(SearchDocument.id, SearchDocument.kind, SearchDocument.object_id,
                       SearchDocument.declaration_id).where(match).offset(0).subquery()
        newest_found = _shown(select(found.c.id).select_from(found), user, found.c).order_by(
            found.c.id.desc()).limit(newest).subquery()
        return (select(SearchDocument.id.label("id"), score.label("score")).select_from(newest_found)
                .join(SearchDocument, SearchDocument.id == newest_found.c.id).subquery())
    else:
        # Each word quoted: FTS5 syntax in the user's text is taken literally, words are ANDed, the last one also
        # matches as a prefix so that a half-typed word finds something. FTS5 hands the matches newest first
        # (by rowid, the document's id) and computes the rank of those read only.
        match_text = " ".join('"' + w.replace('"', '""') + '"' for w in query_words) + "*"
        fts = table("search_fts", column("rowid"), column("rank"))
        match = text("search_fts MATCH :q").bindparams(q=match_text)
        statement = (select(SearchDocument.id.label("id"), fts.c.rank.label("score")).select_from(fts)
                     .join(SearchDocument, SearchDocument.id == fts.c.rowid).where(match))
        return _shown(statement, user).order_by(fts.c.rowid.desc()).limit(newest).subquery()


def count(query: str, user, cap: int = RANKED) -> int:
    """How many documents this person may see match the query, counted up to cap + 1 (more than cap: cap + 1)."""
    query_words = words(query)[:12]
    if not query_words:
        return 0
    return db.session.scalar(select(func.count()).select_from(_matches(query_words, user, cap + 1)))


def _ranked(query_words: list[str], user, limit: int, offset: int) -> tuple[list[int], int]:
    """(the ids of the page — best first among the newest RANKED + 1 matches —, how many matches up to RANKED + 1),
    in one query: the count rides along as a window over the bounded matches."""
    found = _matches(query_words, user, RANKED + 1)
    rows = db.session.execute(select(found.c.id, func.count().over()).order_by(found.c.score, found.c.id.desc())
                              .limit(max(0, min(limit, RANKED - offset))).offset(offset)).all()
    return [row[0] for row in rows], rows[0][1] if rows else 0


def search_page(query: str, user, page: int, prefer: str | None = None) -> tuple[list[dict], int, int]:
    """(the results of page `page` — clamped to the last —, the matches counted up to RANKED + 1, the page shown)."""
    query_words = words(query)[:12]
    if not query_words:
        return [], 0, 1
    ids, total = _ranked(query_words, user, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    if not ids and page > 1:  # past the last page: the count alone, then the last page
        total = count(query, user)
        page = max(1, -(-min(total, RANKED) // PAGE_SIZE))
        ids, total = _ranked(query_words, user, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return _load(ids, user, query_words, prefer), total, page


def search(query: str, user, limit: int = PAGE_SIZE, prefer: str | None = None, offset: int = 0) -> list[dict]:
    """Results the user may see, best first among the newest RANKED matches, `limit` from `offset`: [{kind,
    declaration, object, language, heading, snippet}]. For a part of a declaration, language is the language
    whose text has the most of the query's words (prefer's on a tie: the reader's), heading and snippet that
    language's; a comment's language is None (the commenter's own words, in whatever language they wrote
    them)."""
    query_words = words(query)[:12]
    if not query_words:
        return []
    return _load(_ranked(query_words, user, limit, offset)[0], user, query_words, prefer)


def _load(ids: list[int], user, query_words: list[str], prefer: str | None) -> list[dict]:
    """The results of these documents, in this order: their objects read by the page's ids."""
    if not ids:
        return []
    documents = {d.id: d for d in db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids)))}
    declarations = {d.id: d for d in db.session.scalars(
        select(Declaration).options(selectinload(Declaration.drafters), selectinload(Declaration.translators))
        .where(Declaration.id.in_({d.declaration_id for d in documents.values()})))}
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
    return [result for result in (_result(documents.get(i), declarations, objects, user, query_words, prefer)
                                  for i in ids) if result is not None]


def _result(document, declarations, objects, user, query_words, prefer) -> dict | None:
    """One result, or None for what the SQL let through and the Python rule would not (it never should)."""
    declaration = declarations.get(document.declaration_id) if document else None
    if declaration is None or not permissions.can_view_declaration(user, declaration):
        return None
    obj = declaration if document.kind == "declaration" else objects.get((document.kind, document.object_id))
    if obj is None or getattr(obj, "deleted_at", None) is not None:
        return None
    if document.kind == "comment" and obj.status != CommentStatus.PUBLISHED:
        return None
    language, heading, body = _found_in(document.kind, declaration, obj, query_words, prefer)
    # (The declaration's title beside a result is in the reader's language: the page's declaration_title.)
    return {"kind": document.kind, "declaration": declaration, "object": obj, "language": language,
            "heading": heading, "snippet": snippet(body, query_words)}


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
