"""Reading a CSV of the years before Sanad (docs/earlier-years.md): the alliance's recommendations, the
government's positions on them and the alliance's assessment, as a plan of what importing it would write — each
row's result, or the reasons it is refused, with the line of the file it starts on. Nothing is written here:
app/lines/services.py writes a plan only when no row is refused, all of it in one transaction.

The file is UTF-8, with or without a byte-order mark (spreadsheets write one), its cells separated by commas or
semicolons (the header line tells which), quoted as spreadsheets quote them (a quoted cell may hold line breaks).
Text is kept as written: only the spaces around a cell are dropped, and line breaks become "\\n"."""
import csv
import hashlib
import io

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.lines.import_rows import COLUMNS, REQUIRED, Context, Plan, Row, check_row, gather

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def read(data: bytes) -> Plan:
    """The plan of importing this file: every row's result or reasons, and what the file as a whole lacks."""
    plan = Plan(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    if len(data) > MAX_BYTES:
        plan.problems.append((0, _("The file is larger than the limit of %(limit)s bytes (2 MB). Split it by year "
                                   "and import each part.", limit=format_decimal(MAX_BYTES))))
        return plan
    text = _decoded(data, plan)
    if text is None:
        return plan
    records = _records(text, plan)
    if plan.problems or not records:
        if not plan.problems:
            plan.problems.append((1, _("The file has no rows to import under its header.")))
        return plan
    context = Context()
    for line, values in records:
        row = Row(line, values)
        check_row(row, context)
        plan.rows.append(row)
    gather(plan, context)
    return plan


def _decoded(data: bytes, plan: Plan) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        plan.problems.append((line, _("The file is not in UTF-8. Save it as “CSV UTF-8” (Excel) or choose the "
                                      "Unicode (UTF-8) character set (LibreOffice), and upload it again.")))
        return None


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _records(text: str, plan: Plan) -> list[tuple[int, dict]]:
    """The file's rows as (line they start on, {column: value}), after checking the header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    records, header, start = [], None, 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = _header(cells, plan)
                if header is None:
                    return []
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(records) == MAX_ROWS:
                plan.problems.append((line, ngettext("The file has more than %(count)s row; import it in parts.",
                                                     "The file has more than %(count)s rows; import it in parts.",
                                                     MAX_ROWS, count=format_decimal(MAX_ROWS))))
                return []
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                plan.problems.append((line, _("This row has more cells than the header has columns: is a cell "
                                              "with a comma or a line break missing its quotes?")))
            records.append((line, {name: _cell(cells[n]) if n < len(cells) else ""
                                   for n, name in enumerate(header)}))
    except csv.Error as error:
        plan.problems.append((reader.line_num, _("The file cannot be read as CSV here: %(reason)s.",
                                                 reason=str(error))))
        return []
    return records


def _cell(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _header(cells: list[str], plan: Plan) -> list[str] | None:
    names = [cell.strip().lstrip("\ufeff").lower().replace(" ", "_") for cell in cells]
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in names]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    for name in unknown:
        plan.problems.append((1, _("Unknown column “%(name)s”. The columns are: %(columns)s.", name=name,
                                   columns=", ".join(COLUMNS))))
    for name in missing:
        plan.problems.append((1, _("The column “%(name)s” is missing.", name=name)))
    for name in repeated:
        plan.problems.append((1, _("The column “%(name)s” appears twice.", name=name)))
    return None if unknown or missing or repeated else names


def template_rows(institutions: list) -> tuple[list[str], list[list[str]]]:
    """The downloadable template: the columns, and example rows that import as they are (one recommendation
    answered by two institutions, one in Urdu), naming the institutions given (none: no answers)."""
    first = institutions[0].acronym or institutions[0].name if institutions else ""
    second = institutions[1].acronym or institutions[1].name if len(institutions) > 1 else ""
    title = "Example declaration (replace these rows with yours)"
    answer = ["noted", "The Ministry will study the proposal.", "2022-02-15"] if first else ["", "", ""]
    rows = [["2021", title, "2021-11-30", "1", "Create specialised anti-trafficking prosecution units in every "
             "province.", "en", "pursue", "trafficking", "untoc-5;tip-5", "16.3", "victims_witnesses", first, *answer,
             "limited", "Two units exist, in Lahore and Karachi.", "prosecution-units"]]
    if second:  # the same recommendation answered by a second institution: its own cells left empty
        rows.append(["2021", title, "2021-11-30", "1", "", "", "", "", "", "", "", second, "supported",
                     "Units will be set up within the agency.", "2022-03-01", "", "", ""])
    answer = ["partially", "صوبوں کے ساتھ مشاورت جاری ہے۔", "2022-02-15"] if first else ["", "", ""]
    rows.append(["2021", title, "2021-11-30", "2", "ہر صوبے میں انسانی اسمگلنگ کے متاثرین کے لیے "
                 "پناہ گاہیں کھولی جائیں۔", "ur", "protect", "trafficking;victims", "tip-6", "5.2;16.2",
                 "women;children", first, *answer, "not_started", "", "shelters"])
    return list(COLUMNS), rows
