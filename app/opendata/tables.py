"""The tables of the open-data archive, and how a record becomes a row of CSV: each table is a kind of record
(app/opendata/resources.py) with its JSON Schema (app/opendata/schemas.py), whose properties lay out the CSV's
columns — a nested record's fields as columns of their own ("text.html"), a key from a controlled list as the key,
a list as its items separated by ";", anything deeper as JSON in one cell — and give each CSV file a JSON Schema
of its own (a row read as an object of strings)."""
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.opendata.record_kit import Filters, Resource
from app.opendata.resources import RESOURCES, read_page
from app.opendata.schemas import ITEM_RECORDS, RECIPIENT, RECORDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Table:
    """A file of the archive: the records of a resource (the item's, with all they say, when detail), or rows
    taken out of each of them (rows_of)."""
    name: str
    resource: Resource
    schema: dict
    detail: bool = False
    rows_of: Callable[[dict], Iterable[dict]] | None = None
    about: str = ""  # what the README and the schemas say it holds (else the resource's summary)

    @property
    def summary(self) -> str:
        return self.about or self.resource.summary


def _signatories_of(submission: dict):
    """A submission's public signatories, a batch at a time in the order of its own index (read across all
    submissions at once, they would be sorted anew for every batch)."""
    resource, after = RESOURCES["signatories"], 0
    while after is not None:
        records, after = read_page(resource, Filters(submission=submission["id"]), after, resource.batch)
        yield from records


def _table(name: str, **options) -> Table:
    resource = RESOURCES[name]
    return Table(name, resource, (ITEM_RECORDS if options.get("detail") else RECORDS)[name], **options)


TABLES = (
    _table("declarations"), _table("versions", detail=True), _table("recommendations"), _table("lines"),
    _table("earlier_declarations"), _table("earlier_recommendations"), _table("earlier_answers"),
    _table("submissions"),
    Table("recipients", RESOURCES["submissions"], RECIPIENT, rows_of=lambda submission: submission["recipients"],
          about="Each institution a public dossier went to: when it acknowledged receipt, the dates it was given "
                "to acknowledge and to answer, and when it first published answers."),
    _table("answers"), _table("updates"), _table("assessments"), _table("institutions"),
    Table("signatories", RESOURCES["submissions"], RECORDS["signatories"], rows_of=_signatories_of,
          about=RESOURCES["signatories"].summary),
)


def _value_schema(schema: dict) -> tuple[dict, bool]:
    """(the schema without its null alternative, whether null is allowed)."""
    if "anyOf" in schema:
        return next(s for s in schema["anyOf"] if s.get("type") != "null"), True
    kind = schema.get("type")
    if isinstance(kind, list):
        return {**schema, "type": next(k for k in kind if k != "null")}, "null" in kind
    return schema, False


def _is_labelled(schema: dict) -> bool:
    return schema.get("type") == "object" and set(schema.get("properties", {})) == {"key", "label"}


def _is_scalar(schema: dict) -> bool:
    return schema.get("type") in ("string", "integer", "boolean") or "enum" in schema or "const" in schema


def columns(schema: dict, prefix: str = "") -> list[tuple[str, str, dict, bool]]:
    """(column name, how its cell is written, the value's schema, may be empty) for every column of a record."""
    found = []
    for name, property_schema in schema["properties"].items():
        column = prefix + name
        value, empty = _value_schema(property_schema)
        if _is_labelled(value):
            found.append((column, "key", value, empty))
        elif "propertyNames" in value:  # a text by language: a column per language
            found += [(f"{column}.{code}", "text", {"type": "string"}, True)
                      for code in value["propertyNames"]["enum"]]
        elif value.get("type") == "object" and value.get("properties"):
            found += [(c, how, s, empty or e) for c, how, s, e in columns(value, column + ".")]
        elif value.get("type") == "array" and (_is_labelled(value["items"]) or _is_scalar(value["items"])):
            found.append((column, "list", value, True))
        elif _is_scalar(value):
            found.append((column, "scalar", value, empty))
        else:
            found.append((column, "json", value, empty))
    return found


def _dig(record: dict | None, column: str):
    for part in column.split("."):
        if record is None:
            return None
        record = record.get(part)
    return record


def _cell(how: str, value) -> str:
    if value is None:
        return ""
    if how == "key":
        return value["key"]
    if how == "list":
        return LIST_SEPARATOR.join(str(item["key"] if isinstance(item, dict) else item) for item in value)
    if how == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_header(table: Table) -> list[str]:
    return [column for column, _how, _schema, _empty in columns(table.schema)]


def csv_row(table: Table, record: dict, layout=None) -> list[str]:
    """The record's cells, in the order of csv_header (layout: columns(table.schema), when already known)."""
    return [_cell(how, _dig(record, column)) for column, how, _schema, _empty in layout or columns(table.schema)]


def json_schema(table: Table) -> dict:
    """The schema of <name>.json: an array of the table's records."""
    return {"$schema": SCHEMA_DIALECT, "$id": f"schemas/{table.name}.schema.json", "title": f"{table.name}.json",
            "description": table.summary, "type": "array", "items": table.schema}


_PATTERNS = {"integer": r"-?[0-9]+", "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
             "date-time": r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"}


def _cell_schema(how: str, schema: dict, empty: bool) -> dict:
    if how == "scalar" and schema.get("type") == "boolean":
        return {"enum": ["true", "false"]}
    pattern = _PATTERNS.get(schema.get("format") or schema.get("type")) if how == "scalar" else None
    if pattern is None:
        return {"type": "string"}
    return {"type": "string", "pattern": f"^({pattern})?$" if empty else f"^{pattern}$"}


def csv_schema(table: Table) -> dict:
    """The schema of a row of <name>.csv read as an object of strings, column name to cell (as csv.DictReader
    gives it); an empty cell is no value."""
    layout = columns(table.schema)
    return {"$schema": SCHEMA_DIALECT, "$id": f"schemas/{table.name}.csv.schema.json",
            "title": f"A row of {table.name}.csv",
            "description": f"{table.summary} A list is its keys separated by '{LIST_SEPARATOR}'; a nested "
                           "list of records is JSON in one cell; a cell that would begin with = + - or @ begins "
                           "with an apostrophe, so that spreadsheets show it as text.",
            "type": "object", "properties": {column: _cell_schema(how, schema, empty)
                                             for column, how, schema, empty in layout},
            "required": [column for column, *_rest in layout], "additionalProperties": False}
