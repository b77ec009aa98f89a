"""CSV that spreadsheets open safely: cells that could start a formula are neutralised."""
import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text; one that begins like a formula gets a leading apostrophe so it stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff" + out.getvalue()  # a BOM so spreadsheet programs read UTF-8 (Urdu) correctly
