"""Searchable text, folded the same way when it is indexed and when it is asked for, so that a word matches on
SQLite (FTS5, unicode61) and on PostgreSQL (tsvector, 'simple') alike.

Urdu is typed in more than one way: from an Urdu or an Arabic keyboard (ي or ی, ك or ک, ه or ہ), with or without
vowel marks (مُتاثرین, متاثرین), with a hamza or a yeh (لئے, لیے; مؤثر, موثر), with Urdu or western digits.
Vowel marks would also split a word in two on SQLite, and not on PostgreSQL. Folding each of these to one
letter, character by character, makes every way of writing a word find the others; English is left as it is.
The folding is character by character (after NFC), so a position in the folded text is a position in the text
shown (search snippets)."""
import re
import unicodedata

WORD = re.compile(r"\w+")

_FOLD = {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0626": "\u06cc",  # Arabic yeh, alef maksura, yeh with hamza: ی
    "\u0643": "\u06a9",  # Arabic kaf: ک
    "\u0647": "\u06c1", "\u06c0": "\u06c1", "\u06c2": "\u06c1",  # Arabic heh, heh with hamza: ہ
    "\u06d3": "\u06d2",  # yeh barree with hamza: ے
    "\u0624": "\u0648",  # waw with hamza: و
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # alef with hamza or wasla: ا
    "\u0640": "", "\u200d": "",  # tatweel, zero-width joiner: drawing only
    "\u200c": " ",  # zero-width non-joiner: between the parts of a compound, like a space
    "\u060c": " ", "\u061b": " ", "\u061f": " ", "\u06d4": " ",  # Urdu comma, semicolon, question mark, full stop
}
_FOLD.update({chr(c): "" for r in ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))
              for c in range(r[0], r[1] + 1)})  # vowel and other marks
_FOLD.update({chr(0x06F0 + n): str(n) for n in range(10)})  # Urdu digits
_FOLD.update({chr(0x0660 + n): str(n) for n in range(10)})  # Arabic-Indic digits
_TABLE = str.maketrans(_FOLD)


def fold(text: str) -> str:
    """The text as it is indexed and searched for: NFC, then Urdu's letter variants folded (see above)."""
    return unicodedata.normalize("NFC", text).translate(_TABLE)


def words(query: str) -> list[str]:
    """The words of a query, folded and lower-cased."""
    return WORD.findall(fold(query).lower())


def matches(text: str, query_words: list[str]) -> int:
    """How many of the query's words the text has (the last one also as a prefix, as the search does)."""
    found = set(WORD.findall(fold(text).lower()))
    return sum(1 for n, w in enumerate(query_words)
               if w in found or (n == len(query_words) - 1 and any(f.startswith(w) for f in found)))


def snippet(body: str, query_words: list[str], width: int = 220) -> str:
    """About width characters of the text around the first word of the query it has."""
    body = unicodedata.normalize("NFC", body)
    pieces = [char.translate(_TABLE).lower() for char in body]
    shown = [position for position, piece in enumerate(pieces) for _ in piece]  # folded position -> shown one
    lower = "".join(pieces)
    positions = [shown[p] for p in (lower.find(w) for w in query_words) if p >= 0]
    start = max(0, min(positions) - 60) if positions else 0
    for _ in range(20):  # from the start of a word
        if start == 0 or body[start - 1].isspace():
            break
        start -= 1
    text = body[start:start + width].replace("\n", " ")
    return ("… " if start else "") + text + (" …" if start + width < len(body) else "")
