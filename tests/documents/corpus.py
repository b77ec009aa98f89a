"""A corpus of declarations made the way alliances make them, for the tests of importing .docx and .odt: built
inside the tests, never committed as binary files.

Six documents:

- draft (docx and odt, English and Urdu): written as flat ODF XML (draft_fodt) and saved by LibreOffice, as a
  LibreOffice user would — Title, headings, bold, italics, a link, a footnote, a bulleted list at two levels, a
  table with a header row, and recommendations in automatically numbered lists (1., 2., a), b), then 3., 4.
  and 5. continued across headings). The Urdu one is right-to-left, ur-PK, in Noto Naskh Arabic.
- table_recommendations (docx, python-docx): recommendations in a table ["No.", "Recommendation", "Pillar"].
- hand_styled (docx, python-docx): no heading styles at all — a bold 16pt title, bold paragraphs as headings,
  typed numbers ("1. ", "3) ").
- numbered (docx, python-docx): Word's own numbering through the List Number and List Number 2 styles.
- review (docx and odt, from review_fodt by LibreOffice): a draft under review, with a tracked insertion and a
  tracked deletion not yet accepted, a comment, an image and a text box.

What a reader should find in each is in EXPECTED, by document name (see its comment). LibreOffice runs at most
twice per process (once for .docx, once for .odt, converting the three flat ODF sources together); every
document is kept in memory after it is first built, so a test session (or each pytest-xdist worker) builds it
once."""
import base64
import functools
import io
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Pt

SOFFICE = shutil.which("soffice")
CONVERSION_SECONDS = 240
FILTERS = {"docx": "docx:MS Word 2007 XML", "odt": "odt:writer8"}
UNODC = "https://www.unodc.org/"

# --- the words --------------------------------------------------------------------------------------------------
# A paragraph is a list of segments: ("t", text), ("b", bold text), ("i", italic text), ("a", text, url) and
# ("note", footnote text) — the footnote's call where it stands.

DRAFT = {
    "en": {
        "title": "Karachi Declaration on Human Trafficking 2026",
        "summary": "Civil-society organisations from across Pakistan call for joint action against organised "
                   "crime, human trafficking and migrant smuggling.",
        "headings": {"background": "Background", "context": "Context", "recommendations": "Recommendations"},
        "paragraphs": [
            [("t", "Every year thousands of Pakistanis are trapped in "), ("b", "forced labour"), ("t", " and "),
             ("i", "debt bondage"), ("t", ". According to the latest "), ("a", "UNODC", UNODC),
             ("t", " report, women and children are most of the victims detected."),
             ("note", "UNODC Global Report on Trafficking in Persons 2024.")],
            [("t", "The FIA registered hundreds of trafficking cases last year, but few of them ended in a "
                   "conviction.")],
        ],
        "bullets": [(1, "Recruitment agents promise jobs abroad and charge heavy fees."),
                    (2, "Passports are often taken away on arrival."),
                    (1, "Smuggling networks move migrants through Balochistan towards Iran.")],
        "table": [["Route", "Crime", "Who is harmed"],
                  ["Balochistan coast to Iran", "Migrant smuggling", "Young men seeking work"]],
        "pillars": [
            ("Prevent", [("Register and monitor all overseas employment promoters.", []),
                         ("Run awareness campaigns in districts with high migration.",
                          ["Use local languages on radio and television.",
                           "Train teachers and lady health workers to spot recruitment fraud."])]),
            ("Protect", [("Open shelters for survivors in every province.", []),
                         ("Give survivors free legal aid and interpreters.", [])]),
            ("Pursue", [("Create specialised anti-trafficking prosecution units.", [])]),
        ],
    },
    "ur": {
        "title": "انسانی اسمگلنگ پر کراچی اعلامیہ ۲۰۲۶",
        "summary": "پاکستان بھر کی سول سوسائٹی تنظیمیں منظم جرائم، انسانی اسمگلنگ اور تارکینِ وطن کی اسمگلنگ کے "
                   "خلاف مشترکہ اقدامات کا مطالبہ کرتی ہیں۔",
        "headings": {"background": "پس منظر", "context": "سیاق و سباق", "recommendations": "سفارشات"},
        "paragraphs": [
            [("t", "ہر سال ہزاروں پاکستانی "), ("b", "جبری مشقت"), ("t", " اور "), ("i", "قرض کی غلامی"),
             ("t", " کا شکار ہو جاتے ہیں۔ "), ("a", "UNODC", UNODC),
             ("t", " کی تازہ رپورٹ کے مطابق شناخت ہونے والے متاثرین میں زیادہ تر خواتین اور بچے ہیں۔"),
             ("note", "انسانی اسمگلنگ پر UNODC کی عالمی رپورٹ ۲۰۲۴۔")],
            [("t", "FIA نے گزشتہ سال انسانی اسمگلنگ کے سینکڑوں مقدمات درج کیے، لیکن ان میں سے بہت کم میں سزا ہوئی۔")],
        ],
        "bullets": [(1, "بھرتی کرنے والے ایجنٹ بیرونِ ملک ملازمت کا وعدہ کر کے بھاری فیس وصول کرتے ہیں۔"),
                    (2, "منزل پر پہنچتے ہی اکثر پاسپورٹ چھین لیے جاتے ہیں۔"),
                    (1, "اسمگلنگ کے گروہ تارکینِ وطن کو بلوچستان کے راستے ایران لے جاتے ہیں۔")],
        "table": [["راستہ", "جرم", "متاثرین"],
                  ["بلوچستان کے ساحل سے ایران تک", "تارکینِ وطن کی اسمگلنگ", "روزگار کے متلاشی نوجوان"]],
        "pillars": [
            ("روک تھام", [("بیرونِ ملک ملازمت کے تمام پروموٹرز کی رجسٹریشن اور نگرانی کی جائے۔", []),
                          ("زیادہ نقل مکانی والے اضلاع میں آگاہی مہمات چلائی جائیں۔",
                           ["ریڈیو اور ٹیلی وژن پر مقامی زبانیں استعمال کی جائیں۔",
                            "اساتذہ اور لیڈی ہیلتھ ورکرز کو بھرتی کے فراڈ کی نشاندہی کی تربیت دی جائے۔"])]),
            ("تحفظ", [("ہر صوبے میں متاثرین کے لیے پناہ گاہیں قائم کی جائیں۔", []),
                      ("متاثرین کو مفت قانونی امداد اور مترجم فراہم کیے جائیں۔", [])]),
            ("قانونی کارروائی", [("انسانی اسمگلنگ کے مقدمات کے لیے خصوصی پراسیکیوشن یونٹ بنائے جائیں۔", [])]),
        ],
    },
}
PILLAR_KEYS = ("prevent", "protect", "pursue")  # the draft's three Heading 2 sections, in order, in both languages

TABLE_RECOMMENDATIONS = {
    "title": "Lahore Declaration on Migrant Smuggling",
    "summary": "Alliance members in Punjab set out what the federal and provincial governments must do to stop "
               "the smuggling of migrants by land and sea.",
    "introduction": "Each year young men from central Punjab pay smugglers to take them to Europe through Iran, "
                    "Turkey and Libya, and many of them die on the way.",
    "header": ["No.", "Recommendation", "Pillar"],
    "rows": [["1", "Warn families in Gujranwala and Sialkot about the dangers of irregular routes.", "Prevent"],
             ["2", "Bring home at state expense the bodies of migrants who died abroad.", "Protect"],
             ["3", "Freeze the assets of smuggling networks and their agents.", "Pursue"],
             ["4", "Work with Iran and Turkey on joint border investigations.", "Promote"]],
}

HAND_STYLED = {
    "title": "Peshawar Declaration on Organised Crime",
    "summary": "Organisations in Khyber Pakhtunkhwa ask for stronger action against the smuggling of drugs, "
               "weapons and people across the western border.",
    "background": "Criminal groups use the Torkham and Chaman crossings to move drugs, weapons and people.",
    # (the typed number with its punctuation, the text, the bold paragraph above it)
    "recommendations": [("1.", "Set up joint checkpoints of the police and the FIA at the border crossings.",
                         "Recommendations"),
                        ("2.", "Publish yearly figures on seizures and prosecutions.", "Recommendations"),
                        ("3)", "Give witnesses in organised-crime trials police protection.", "Protect")],
}

NUMBERED = {
    "title": "Islamabad Declaration on Organised Crime and Trafficking",
    "prevent": [("Include trafficking awareness in school curricula.",
                 "Start with secondary schools in southern Punjab."),
                ("License and inspect brick kilns to end bonded labour.", None)],
    "promote": ["Share data on trafficking cases with neighbouring countries.",
                "Report to Parliament every year on progress against trafficking."],
}

REVIEW = {
    "title": "Quetta Declaration on Migrant Smuggling",
    "inserted": "newly inserted words",
    "deleted": "words proposed for deletion",
    "comment": "Check this figure",
    "commenter": "Bilal Ahmed",
    "reviewer": "Amina Khan",
    "box": "Box text",
    "met": "The alliance met in Quetta in January 2026.",
    "recommendations": ["Patrol the coastal routes used by smugglers.",
                        "Protect migrants who report smugglers to the police."],
}


# --- what a reader should find ----------------------------------------------------------------------------------

def _plain(segments) -> str:
    return "".join(segment[1] for segment in segments if segment[0] != "note")


def _recommendation(number, text, heading, pillar, points=()) -> dict:
    return {"number": number, "text": text, "heading": heading, "pillar": pillar, "points": list(points)}


def _nothing_dropped() -> dict:
    return {"image": 0, "text_box": 0, "comment": 0, "insertion": 0, "deletion": 0}


def _expected_draft(language: str) -> dict:
    words = DRAFT[language]
    headings = words["headings"]
    recommendations, number = [], 0
    for (heading, items), pillar in zip(words["pillars"], ("Prevent", "Protect", "Pursue"), strict=True):
        for text, points in items:
            number += 1
            recommendations.append(_recommendation(
                str(number), text, heading, pillar,
                [{"number": chr(ord("a") + index), "text": point} for index, point in enumerate(points)]))
    first = words["paragraphs"][0]
    return {
        "kinds": ("docx", "odt"),
        "language": language,
        "rtl": language == "ur",
        "title": words["title"],
        "summary": words["summary"],
        "headings": [(1, headings["background"]), (1, headings["context"]), (1, headings["recommendations"])]
                    + [(2, heading) for heading, _ in words["pillars"]],
        "paragraphs": [words["summary"]] + [_plain(p) for p in words["paragraphs"]],
        "bullets": list(words["bullets"]),
        "tables": [words["table"]],
        "table_header_rows": 1,
        "recommendations": recommendations,
        "bold": [s[1] for s in first if s[0] == "b"],
        "italic": [s[1] for s in first if s[0] == "i"],
        "links": [(s[1], s[2]) for s in first if s[0] == "a"],
        "footnotes": [s[1] for s in first if s[0] == "note"],
        "present": [], "absent": [],
        "dropped": _nothing_dropped(),
    }


def _expected_review() -> dict:
    words = REVIEW
    return {
        "kinds": ("docx", "odt"),
        "language": "en", "rtl": False,
        "title": words["title"],
        "summary": None,
        "headings": [(1, "Background"), (1, "Recommendations")],
        "paragraphs": [_review_before(), words["met"]],
        "bullets": [], "tables": [], "table_header_rows": 0,
        "recommendations": [_recommendation(str(n), text, "Recommendations", None)
                            for n, text in enumerate(words["recommendations"], 1)],
        "bold": [], "italic": [], "links": [], "footnotes": [],
        # the text as it stood before the changes not yet accepted; a comment's or a text box's words are not text
        "present": [words["deleted"]],
        "absent": [words["inserted"], words["comment"], words["box"]],
        "dropped": {"image": 1, "text_box": 1, "comment": 1, "insertion": 1, "deletion": 1},
        "comments": [words["comment"]],
        "tracked_changes": 2,
    }


def _review_before() -> str:
    return (f"Smuggling networks moved thousands of migrants through Balochistan last year ({REVIEW['deleted']}), "
            "but few smugglers were arrested.")


def _expected_table() -> dict:
    words = TABLE_RECOMMENDATIONS
    return {
        "kinds": ("docx",), "language": "en", "rtl": False,
        "title": words["title"], "summary": words["summary"],
        "headings": [(1, "Introduction"), (1, "Recommendations")],
        "paragraphs": [words["summary"], words["introduction"]],
        "bullets": [], "tables": [[words["header"], *words["rows"]]], "table_header_rows": 1,
        "recommendations": [_recommendation(n, text, "Recommendations", pillar) for n, text, pillar in words["rows"]],
        "bold": [], "italic": [], "links": [], "footnotes": [], "present": [], "absent": [],
        "dropped": _nothing_dropped(),
    }


def _expected_hand_styled() -> dict:
    words = HAND_STYLED
    return {
        "kinds": ("docx",), "language": "en", "rtl": False,
        "title": words["title"], "summary": words["summary"],
        # all three are the same whole-paragraph bold Normal paragraphs: nothing in the file says Protect is
        # deeper than Recommendations, so each is level 1
        "headings": [(1, "Background"), (1, "Recommendations"), (1, "Protect")],
        "paragraphs": [words["summary"], words["background"]],
        "bullets": [], "tables": [], "table_header_rows": 0,
        "recommendations": [_recommendation(typed.rstrip(".)"), text, heading, "Protect" if heading == "Protect"
                                            else None)
                            for typed, text, heading in words["recommendations"]],
        "typed_numbers": [f"{typed} {text}" for typed, text, _ in words["recommendations"]],
        "bold": [words["title"], "Background", "Recommendations", "Protect"], "italic": [], "links": [],
        "footnotes": [], "present": [], "absent": [],
        "dropped": _nothing_dropped(),
    }


def _expected_numbered() -> dict:
    words = NUMBERED
    (first, point), (second, _) = words["prevent"]
    return {
        "kinds": ("docx",), "language": "en", "rtl": False,
        "title": words["title"], "summary": None,
        "headings": [(1, "Recommendations"), (2, "Prevent"), (2, "Promote")],
        "paragraphs": [],
        "bullets": [], "tables": [], "table_header_rows": 0,
        # List Number is one list (numId 5 of python-docx's template) so it runs 1-4 across the headings; List
        # Number 2 is a list of its own (numId 6, single-level "%1."), so Word shows its item as "1."
        "recommendations": [_recommendation("1", first, "Prevent", "Prevent", [{"number": "1", "text": point}]),
                            _recommendation("2", second, "Prevent", "Prevent"),
                            _recommendation("3", words["promote"][0], "Promote", "Promote"),
                            _recommendation("4", words["promote"][1], "Promote", "Promote")],
        "bold": [], "italic": [], "links": [], "footnotes": [], "present": [], "absent": [],
        "dropped": _nothing_dropped(),
    }


# EXPECTED[name] — the same for each of the document's kinds:
#   kinds: the formats it comes in; language "en"/"ur"; rtl: its paragraphs are right-to-left
#   title; summary: the first paragraph after the title, or None
#   headings: [(level, text)] in order, the title not among them
#   paragraphs: [text] of the ordinary paragraphs in order (not title, headings, list items or tables)
#   bullets: [(depth, text)] of the bulleted list items; tables: [rows of cells' text]; table_header_rows
#   recommendations: [{number: "3" as shown, text, heading: the heading above it, pillar: "Prevent"… or None,
#                      points: [{number: "a" as shown, text}]}]
#   bold, italic: [text of a bold or italic run]; links: [(text, url)]; footnotes: [text]
#   present / absent: words that must / must not be in the text imported
#   dropped: {kind: count} of what an import leaves out (app/documents/pieces.py's DROPPED_KINDS)
EXPECTED = {
    "draft-en": _expected_draft("en"),
    "draft-ur": _expected_draft("ur"),
    "table-recommendations": _expected_table(),
    "hand-styled": _expected_hand_styled(),
    "numbered": _expected_numbered(),
    "review": _expected_review(),
}


# --- flat ODF -----------------------------------------------------------------------------------------------------

NAMESPACES = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in (
    ("office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0"),
    ("style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0"),
    ("text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0"),
    ("table", "urn:oasis:names:tc:opendocument:xmlns:table:1.0"),
    ("draw", "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"),
    ("fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"),
    ("xlink", "http://www.w3.org/1999/xlink"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("meta", "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"),
    ("svg", "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"),
))

URDU_TEXT = ('style:font-name-complex="Noto Naskh Arabic" style:language-complex="ur" style:country-complex="PK" '
             'style:font-size-complex="13pt"')


def _level(kind: str, level: int, body: str, indent: float) -> str:
    return (f'<text:list-level-style-{kind} text:level="{level}" {body}>'
            '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
            f'<style:list-level-label-alignment text:label-followed-by="listtab" '
            f'text:list-tab-stop-position="{indent:.3f}cm" fo:text-indent="-0.635cm" fo:margin-left="{indent:.3f}cm"/>'
            f'</style:list-level-properties></text:list-level-style-{kind}>')


def _styles(urdu: bool) -> str:
    heading = 'style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:class="text"'
    bold = 'fo:font-weight="bold" style:font-weight-complex="bold"'
    outline = "".join(f'<text:outline-level-style text:level="{n}" style:num-format=""/>' for n in range(1, 11))
    return f"""<office:styles>
<style:default-style style:family="paragraph">
 <style:paragraph-properties style:writing-mode="page"/>
 <style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt" fo:language="en" fo:country="GB"
  {URDU_TEXT if urdu else ''}/>
</style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"
 style:parent-style-name="Standard" style:class="text">
 <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.247cm"/>
</style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"
 style:next-style-name="Text_20_body" style:class="text">
 <style:paragraph-properties fo:margin-top="0.423cm" fo:margin-bottom="0.212cm" fo:keep-with-next="always"/>
 <style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt"/>
</style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"
 style:next-style-name="Text_20_body" style:class="chapter">
 <style:paragraph-properties fo:text-align="center"/>
 <style:text-properties fo:font-size="24pt" style:font-size-complex="24pt" {bold}/>
</style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" {heading}
 style:default-outline-level="1">
 <style:text-properties fo:font-size="18pt" style:font-size-complex="18pt" {bold}/>
</style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" {heading}
 style:default-outline-level="2">
 <style:text-properties fo:font-size="15pt" style:font-size-complex="15pt" {bold}/>
</style:style>
<style:style style:name="List_20_Paragraph" style:display-name="List Paragraph" style:family="paragraph"
 style:parent-style-name="Standard" style:class="list"/>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph"
 style:parent-style-name="Standard" style:class="extra"/>
<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph"
 style:parent-style-name="Table_20_Contents" style:class="extra">
 <style:text-properties {bold}/>
</style:style>
<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
 <style:text-properties fo:font-size="10pt" style:font-size-complex="10pt"/>
</style:style>
<text:outline-style style:name="Outline">{outline}</text:outline-style>
<text:list-style style:name="Numbering_20_Recommendations" style:display-name="Numbering Recommendations">
 {_level("number", 1, 'style:num-suffix="." style:num-format="1"', 0.635)}
 {_level("number", 2, 'style:num-suffix=")" style:num-format="a"', 1.27)}
</text:list-style>
<text:list-style style:name="Bullets">
 {_level("bullet", 1, 'text:bullet-char="•"', 0.635)}
 {_level("bullet", 2, 'text:bullet-char="◦"', 1.27)}
</text:list-style>
<text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0"
 text:footnotes-position="page" text:start-numbering-at="document"/>
</office:styles>"""


def _fodt(title: str, language: str, automatic: str, text: str) -> bytes:
    urdu = language == "ur"
    fonts = ('<style:font-face style:name="Liberation Serif" svg:font-family="\'Liberation Serif\'" '
             'style:font-family-generic="roman" style:font-pitch="variable"/>'
             '<style:font-face style:name="Liberation Sans" svg:font-family="\'Liberation Sans\'" '
             'style:font-family-generic="swiss" style:font-pitch="variable"/>'
             '<style:font-face style:name="Noto Naskh Arabic" svg:font-family="\'Noto Naskh Arabic\'" '
             'style:font-pitch="variable"/>')
    page = ('<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" '
            'fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" '
            f'fo:margin-right="2cm" style:writing-mode="{"rl-tb" if urdu else "lr-tb"}"/></style:page-layout>')
    common = ('<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold" '
              'style:font-weight-complex="bold"/></style:style>'
              '<style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic" '
              'style:font-style-complex="italic"/></style:style>')
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NAMESPACES} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{escape(title)}</dc:title><dc:language>{"ur-PK" if urdu else "en-GB"}</dc:language>
</office:meta>
<office:font-face-decls>{fonts}</office:font-face-decls>
{_styles(urdu)}
<office:automatic-styles>{page}{common}{automatic}</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>{text}</office:text></office:body>
</office:document>
"""
    return document.encode("utf-8")


class _Paragraphs:
    """The paragraph styles a flat ODF body uses: the named style itself, or for a right-to-left document an
    automatic style on it that turns the paragraph right-to-left in Urdu (as LibreOffice's own buttons do)."""

    def __init__(self, rtl: bool):
        self.rtl, self.automatic = rtl, {}

    def __call__(self, name: str) -> str:
        if not self.rtl:
            return name
        if name not in self.automatic:
            self.automatic[name] = f"P{len(self.automatic) + 1}"
        return self.automatic[name]

    def styles(self) -> str:
        return "".join(
            f'<style:style style:name="{auto}" style:family="paragraph" style:parent-style-name="{name}">'
            f'<style:paragraph-properties style:writing-mode="rl-tb"/>'
            f'<style:text-properties {URDU_TEXT}/></style:style>'
            for name, auto in self.automatic.items())


def _inline(segments, style) -> str:
    out = []
    for segment in segments:
        kind, words = segment[0], escape(segment[1])
        if kind == "t":
            out.append(words)
        elif kind == "b":
            out.append(f'<text:span text:style-name="T1">{words}</text:span>')
        elif kind == "i":
            out.append(f'<text:span text:style-name="T2">{words}</text:span>')
        elif kind == "a":
            out.append(f'<text:a xlink:type="simple" xlink:href={quoteattr(segment[2])}>{words}</text:a>')
        elif kind == "note":
            out.append('<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1'
                       f'</text:note-citation><text:note-body><text:p text:style-name="{style("Footnote")}">'
                       f'{words}</text:p></text:note-body></text:note>')
    return "".join(out)


def _p(style_name: str, inner: str) -> str:
    return f'<text:p text:style-name="{style_name}">{inner}</text:p>'


def _h(style_name: str, level: int, words: str) -> str:
    return f'<text:h text:style-name="{style_name}" text:outline-level="{level}">{escape(words)}</text:h>'


def _list(list_style: str, items, style, attributes: str = "") -> str:
    """A list: items [(text, [points])], the points a list nested in their item."""
    def item(words: str, nested: str = "") -> str:
        return f"<text:list-item>{_p(style('List_20_Paragraph'), escape(words))}{nested}</text:list-item>"
    return (f'<text:list text:style-name="{list_style}" {attributes}>'
            + "".join(item(words, "<text:list>" + "".join(item(point) for point in points) + "</text:list>"
                           if points else "") for words, points in items)
            + "</text:list>")


def _bullets(items, style) -> str:
    """A bulleted list of [(depth, text)]; an item of depth 2 is nested in the item before it."""
    grouped = []
    for depth, words in items:
        if depth == 1:
            grouped.append((words, []))
        else:
            grouped[-1][1].append(words)
    return _list("Bullets", grouped, style)


def _numbered(items, style, attributes: str) -> str:
    """A list in the numbered list style: items [(text, [points])], the points numbered a), b)."""
    return _list("Numbering_20_Recommendations", items, style, attributes)


def _table(rows, style) -> str:
    """A table whose first row is its header row (repeated on each page)."""
    def row(cells, paragraph_style: str) -> str:
        return "<table:table-row>" + "".join(
            f'<table:table-cell table:style-name="Cell" office:value-type="string">'
            f"{_p(style(paragraph_style), escape(cell))}</table:table-cell>" for cell in cells) + "</table:table-row>"
    return (f'<table:table table:name="Context" table:style-name="Table1">'
            f'<table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
            f'<table:table-header-rows>{row(rows[0], "Table_20_Heading")}</table:table-header-rows>'
            + "".join(row(cells, "Table_20_Contents") for cells in rows[1:]) + "</table:table>")


def _table_styles(rtl: bool) -> str:
    return ('<style:style style:name="Table1" style:family="table"><style:table-properties style:width="17cm" '
            f'table:align="margins" style:writing-mode="{"rl-tb" if rtl else "lr-tb"}"/></style:style>'
            '<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties '
            'fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>')


def draft_fodt(language: str) -> bytes:
    """The draft declaration as flat ODF XML: language "en" or "ur" (right-to-left)."""
    words, rtl = DRAFT[language], language == "ur"
    style = _Paragraphs(rtl)
    headings = words["headings"]
    (prevent, first), (protect, second), (pursue, third) = words["pillars"]
    text = "".join([
        _p(style("Title"), escape(words["title"])),
        _p(style("Standard"), escape(words["summary"])),
        _h(style("Heading_20_1"), 1, headings["background"]),
        *(_p(style("Text_20_body"), _inline(p, style)) for p in words["paragraphs"]),
        _bullets(words["bullets"], style),
        _h(style("Heading_20_1"), 1, headings["context"]),
        _table(words["table"], style),
        _h(style("Heading_20_1"), 1, headings["recommendations"]),
        _h(style("Heading_20_2"), 2, prevent),
        _numbered(first, style, 'xml:id="list-prevent"'),
        _h(style("Heading_20_2"), 2, protect),
        _numbered(second, style, 'xml:id="list-protect" text:continue-list="list-prevent"'),
        _h(style("Heading_20_2"), 2, pursue),
        _numbered(third, style, 'text:continue-numbering="true"'),
    ])
    return _fodt(words["title"], language, _table_styles(rtl) + style.styles(), text)


# --- the draft under review -------------------------------------------------------------------------------------

def png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (0, 102, 51)) -> bytes:
    """A real PNG of one colour, made with zlib and struct."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _change_info(who: str, when: str) -> str:
    return f"<office:change-info><dc:creator>{escape(who)}</dc:creator><dc:date>{when}</dc:date></office:change-info>"


def review_fodt() -> bytes:
    """A short declaration under review, as flat ODF XML: a tracked insertion and a tracked deletion not yet
    accepted (changes being recorded), a comment, an embedded PNG and a text box."""
    words = REVIEW
    changes = ('<text:tracked-changes text:track-changes="true">'
               f'<text:changed-region xml:id="ct1" text:id="ct1"><text:insertion>'
               f'{_change_info(words["reviewer"], "2026-01-12T10:15:00")}</text:insertion></text:changed-region>'
               f'<text:changed-region xml:id="ct2" text:id="ct2"><text:deletion>'
               f'{_change_info(words["reviewer"], "2026-01-12T10:16:00")}'
               f'<text:p text:style-name="Text_20_body"><text:s/>({escape(words["deleted"])})</text:p>'
               '</text:deletion></text:changed-region></text:tracked-changes>')
    comment = (f'<office:annotation office:name="c1"><dc:creator>{escape(words["commenter"])}</dc:creator>'
               f'<dc:date>2026-01-12T11:00:00</dc:date><text:p>{escape(words["comment"])}</text:p>'
               '</office:annotation>')
    reviewed = ("Smuggling networks moved " + comment + 'thousands<office:annotation-end office:name="c1"/>'
                " of migrants through Balochistan last year"
                '<text:change text:change-id="ct2"/>'
                f'<text:change-start text:change-id="ct1"/> and {escape(words["inserted"])}'
                '<text:change-end text:change-id="ct1"/>, but few smugglers were arrested.')
    image = ('<draw:frame draw:style-name="fr1" draw:name="Alliance logo" text:anchor-type="as-char" '
             'svg:width="1cm" svg:height="1cm" draw:z-index="0"><draw:image>'
             f'<office:binary-data>{base64.b64encode(png()).decode("ascii")}</office:binary-data>'
             '</draw:image><svg:title>Alliance logo</svg:title></draw:frame>')
    box = ('<draw:frame draw:style-name="fr2" draw:name="Box" text:anchor-type="paragraph" svg:x="11cm" '
           'svg:y="0cm" svg:width="5cm" draw:z-index="1"><draw:text-box fo:min-height="1cm">'
           f'<text:p text:style-name="Standard">{escape(words["box"])}</text:p></draw:text-box></draw:frame>')
    numbered = [(text, []) for text in words["recommendations"]]
    text = "".join([
        changes,
        _p("Title", escape(words["title"])),
        _p("Standard", image),
        _h("Heading_20_1", 1, "Background"),
        _p("Text_20_body", reviewed),
        _p("Text_20_body", box + escape(words["met"])),
        _h("Heading_20_1", 1, "Recommendations"),
        _numbered(numbered, lambda name: name, 'xml:id="list-recommendations"'),
    ])
    frames = ('<style:style style:name="fr1" style:family="graphic"><style:graphic-properties '
              'style:vertical-pos="top" style:vertical-rel="baseline"/></style:style>'
              '<style:style style:name="fr2" style:family="graphic"><style:graphic-properties '
              'fo:border="0.5pt solid #000000" fo:padding="0.1cm" style:wrap="parallel" '
              'style:horizontal-pos="from-left" style:horizontal-rel="paragraph" style:vertical-pos="from-top" '
              'style:vertical-rel="paragraph"/></style:style>')
    return _fodt(words["title"], "en", frames, text)


# --- LibreOffice ----------------------------------------------------------------------------------------------------

def _convert(sources: dict[str, bytes], suffix: str, target: str, workdir: Path) -> dict[str, bytes]:
    """Each source (name: bytes, all of one suffix such as ".fodt" or ".html") saved as target ("docx" or "odt")
    by one run of LibreOffice, in a profile of its own under workdir."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs it")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    run = Path(tempfile.mkdtemp(prefix=f"convert-{target}-", dir=workdir))
    (run / "in").mkdir()
    paths = []
    for name, body in sources.items():
        path = run / "in" / f"{name}{suffix}"
        path.write_bytes(body)
        paths.append(path)
    profile = workdir / "libreoffice-profile"  # one per workdir: a pytest-xdist worker never shares it
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", FILTERS.get(target, target), "--outdir", str(run / "out"),
                           *map(str, paths)],
                          capture_output=True, text=True, timeout=CONVERSION_SECONDS)
    built = {}
    for name in sources:
        out = run / "out" / f"{name}.{target}"
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"LibreOffice did not make {out.name}: {done.returncode} {done.stdout} {done.stderr}")
        built[name] = out.read_bytes()
    return built


def libreoffice(source: bytes, suffix: str, target: str, workdir: Path) -> bytes:
    """source (a .fodt flat ODF or .html, say: suffix ".fodt") saved by LibreOffice as target "docx" or "odt"."""
    return _convert({"source": source}, suffix if suffix.startswith(".") else f".{suffix}", target,
                    Path(workdir))["source"]


_BUILT: dict[tuple[str, str], bytes] = {}
_WORKDIR: list[Path] = []


def _workdir(workdir) -> Path:
    if workdir is not None:
        return Path(workdir)
    if not _WORKDIR:  # left for the system's temporary files to clear, like pytest's own base directory
        _WORKDIR.append(Path(tempfile.mkdtemp(prefix="sanad-corpus-")))
    return _WORKDIR[0]


def _saved(name: str, kind: str, workdir) -> bytes:
    """The flat ODF source name saved as kind — all three sources are converted together the first time any is
    asked for, and kept for the rest of the process."""
    if kind not in FILTERS:
        raise ValueError(f"kind is docx or odt, not {kind!r}")
    if (name, kind) not in _BUILT:
        sources = {"draft-en": draft_fodt("en"), "draft-ur": draft_fodt("ur"), "review": review_fodt()}
        for built, body in _convert(sources, ".fodt", kind, _workdir(workdir)).items():
            _BUILT[(built, kind)] = body
    return _BUILT[(name, kind)]


def draft(kind: str, language: str, workdir=None) -> bytes:
    """The draft declaration (draft_fodt) saved by LibreOffice as kind "docx" or "odt"."""
    return _saved(f"draft-{language}", kind, workdir)


def review(kind: str, workdir=None) -> bytes:
    """The declaration under review (review_fodt) saved by LibreOffice as kind "docx" or "odt"."""
    return _saved("review", kind, workdir)


# --- python-docx ----------------------------------------------------------------------------------------------------

def _saved_docx(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def table_recommendations_docx() -> bytes:
    """Title, summary, Heading 1 Introduction, Heading 1 Recommendations and the recommendations in a table whose
    first row (repeated on each page, as Word's "Repeat as header row") is its header."""
    words = TABLE_RECOMMENDATIONS
    document = Document()
    document.add_paragraph(words["title"], style="Title")
    document.add_paragraph(words["summary"])
    document.add_heading("Introduction", level=1)
    document.add_paragraph(words["introduction"])
    document.add_heading("Recommendations", level=1)
    table = document.add_table(rows=1 + len(words["rows"]), cols=len(words["header"]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, [words["header"], *words["rows"]], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    header = OxmlElement("w:tblHeader")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    return _saved_docx(document)


@functools.cache
def hand_styled_docx() -> bytes:
    """No heading style at all: a bold 16pt title, whole-paragraph bold Normal paragraphs as headings, and
    recommendations with their numbers typed."""
    words = HAND_STYLED
    document = Document()

    def bold(text: str, size: int | None = None) -> None:
        run = document.add_paragraph().add_run(text)
        run.bold = True
        if size:
            run.font.size = Pt(size)

    bold(words["title"], 16)
    document.add_paragraph(words["summary"])
    bold("Background")
    document.add_paragraph(words["background"])
    heading = None
    for typed, text, above in words["recommendations"]:
        if above != heading:
            bold(above)
            heading = above
        document.add_paragraph(f"{typed} {text}")
    return _saved_docx(document)


@functools.cache
def numbered_docx() -> bytes:
    """Word's own numbering: List Number paragraphs (one list, numbered on across the headings) and one List
    Number 2 paragraph under the first."""
    words = NUMBERED
    document = Document()
    document.add_paragraph(words["title"], style="Title")
    document.add_heading("Recommendations", level=1)
    document.add_heading("Prevent", level=2)
    for text, point in words["prevent"]:
        document.add_paragraph(text, style="List Number")
        if point:
            document.add_paragraph(point, style="List Number 2")
    document.add_heading("Promote", level=2)
    for text in words["promote"]:
        document.add_paragraph(text, style="List Number")
    return _saved_docx(document)


# Every document of the corpus: (name of EXPECTED, kind) → a function of the working directory returning its bytes.
DOCUMENTS = {
    ("draft-en", "docx"): functools.partial(draft, "docx", "en"),
    ("draft-en", "odt"): functools.partial(draft, "odt", "en"),
    ("draft-ur", "docx"): functools.partial(draft, "docx", "ur"),
    ("draft-ur", "odt"): functools.partial(draft, "odt", "ur"),
    ("table-recommendations", "docx"): lambda workdir=None: table_recommendations_docx(),
    ("hand-styled", "docx"): lambda workdir=None: hand_styled_docx(),
    ("numbered", "docx"): lambda workdir=None: numbered_docx(),
    ("review", "docx"): functools.partial(review, "docx"),
    ("review", "odt"): functools.partial(review, "odt"),
}
