"""Which languages a reader sees a bilingual declaration's text in, from the page's ?text= (en, ur, or both)
and the interface language: a template global, so every page that shows a text (reading, signing, the
dossier) answers the same way without each view passing it. And the one way a page names a declaration: by
its title in the reader's language when it has one (declaration_title)."""
from collections.abc import Mapping
from functools import partial

from flask import request
from flask_babel import get_locale
from markupsafe import Markup

from app.declarations import languages


def reading_languages(declaration) -> tuple[str, ...]:
    return languages.shown(declaration, request.args.get("text"), str(get_locale() or "en"))


class ShownTitle:
    """A declaration's title as one page shows it, and the language it is in. In HTML it is its own element
    (<bdi lang dir="auto">), so a title in the other direction reads right inside any text or link; str() is
    the bare text, for the page's <title> and for truncating."""

    __slots__ = ("text", "language")

    def __init__(self, text: str, language: str):
        self.text, self.language = text, language

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> Markup:
        return Markup('<bdi lang="{}" dir="auto">{}</bdi>').format(self.language, self.text)


def declaration_title(declaration, title: str | None = None) -> ShownTitle:
    """The title in the reader's language when the declaration has it, else the original. `declaration` is a
    Declaration, or anything with its title, language, translation_language and title_translation (a Submission,
    a row, a dict); `title` stands for the original title where it is named otherwise."""
    found = declaration.get if isinstance(declaration, Mapping) else partial(getattr, declaration)
    reader = str(get_locale() or "en")
    if reader == found("translation_language") and found("title_translation"):
        return ShownTitle(found("title_translation"), reader)
    return ShownTitle(found("title") if title is None else title, found("language") or "en")
