"""Which languages a reader sees a bilingual declaration's text in, from the page's ?text= (en, ur, or both)
and the interface language: a template global, so every page that shows a text (reading, signing, the
dossier) answers the same way without each view passing it."""
from flask import request
from flask_babel import get_locale

from app.declarations import languages


def reading_languages(declaration) -> tuple[str, ...]:
    return languages.shown(declaration, request.args.get("text"), str(get_locale() or "en"))
