"""The OpenAPI 3.1 document of the open-data API, served at /api/v1/openapi.json: every path, parameter and
response, the records described by app/opendata/schemas.py (draft 2020-12, as OpenAPI 3.1 takes them). Built
from the same registry the views serve (app/opendata/resources.py), so a resource cannot be served undocumented."""
from app.opendata import schemas
from app.opendata.record_kit import Resource
from app.opendata.resources import API_RESOURCES, DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, SIGNATORIES, cursor_pattern
from app.opendata.schemas import INTEGER, STRING, URL, nullable, object_of
from app.opendata.scorecard import SCORECARD

VERSION = "1.0.0"
# Component names of the records, by resource name (app/opendata/schemas.py RECORDS).
NAMES = {"declarations": "Declaration", "versions": "Version", "recommendations": "Recommendation",
         "lines": "Line", "submissions": "Submission", "answers": "Answer", "updates": "ImplementationUpdate",
         "assessments": "Assessment", "institutions": "Institution", "signatories": "Signatory"}
ITEM_NAMES = {**NAMES, "versions": "VersionWithContent", "lines": "LineWithEntries"}

DESCRIPTION = """Everything public on this Sanad site, read-only: public declarations and their versions (with
their SHA-256), the recommendations as submitted with their classification and lines across the years, the public
dossiers with their recipients, acknowledgements and deadlines, the government's published answers, implementation
updates, the alliance's assessments, the institutions, and the signatories who chose to be named publicly. Nothing
that is not public on the site appears here.

Lists are read a page at a time in the order of their ids: follow `next` (in the body and in the `Link` header)
until it is null. `limit` is 1 to 200 (50 by default). Responses carry a strong `ETag`: send it back in
`If-None-Match` to get `304 Not Modified`. They may be cached for 60 seconds. Requests are limited per address
(120 a minute by default); past the limit the answer is 429 with `Retry-After`. No login, and every origin may
read (CORS). Keys of controlled lists are stable; their labels come in English and Urdu."""

_ETAG = {"description": "A strong validator of the body: send it back in If-None-Match.", "schema": STRING}
_CACHE = {"description": "public, max-age=60", "schema": STRING}
_LINK = {"description": 'The next page as <url>; rel="next", when there is one.', "schema": STRING}
_ERRORS = {
    "400": ("A cursor, limit or filter that is not one.", "Error"),
    "404": ("No public record has this id.", "Error"),
    "429": ("Too many requests from this address: wait Retry-After seconds.", "Error"),
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema_name: str, headers: dict | None = None) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}},
            **({"headers": headers} if headers else {})}


def _responses(success: dict, *errors: str) -> dict:
    responses = {"200": success, "304": {"description": "Not modified: the ETag sent in If-None-Match still holds.",
                                         "headers": {"ETag": _ETAG}}}
    for code in errors:
        description, name = _ERRORS[code]
        responses[code] = _json(description, name, {"Retry-After": {"schema": STRING}} if code == "429" else None)
    return responses


_PARAMETERS = {
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
              "description": f"How many records a page holds (1 to {MAX_LIMIT})."},
    "declaration": {"name": "declaration", "in": "query", "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    "description": "Only those of this declaration."},
    "institution": {"name": "institution", "in": "query", "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    "description": "Only those of (or addressed to) this institution."},
    "since": {"name": "since", "in": "query", "required": False,
              "schema": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]},
              "description": "Only those dated from this date (2026-01-31) or moment (2026-01-31T09:00:00Z) on: "
                             "changed (declarations), made (versions, updates, assessments), submitted "
                             "(recommendations, submissions) or published (answers)."},
    "id": {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
           "description": "The record's id."},
}


def _cursor(resource: Resource) -> dict:
    return {"name": "cursor", "in": "query", "required": False,
            "schema": {"type": "string", "pattern": cursor_pattern(resource)},
            "description": "Where to continue: the cursor of the previous page's `next` link (take it as it is)."}


def _list_path(resource: Resource, operation: str) -> dict:
    name = resource.name
    parameters = [_cursor(resource), _PARAMETERS["limit"]] + [_PARAMETERS[f] for f in resource.filters]
    return {"get": {"operationId": operation, "summary": resource.summary, "parameters": parameters,
                    "responses": _responses(_json("A page of records.", f"{NAMES[name]}Page",
                                                  {"ETag": _ETAG, "Cache-Control": _CACHE, "Link": _LINK}),
                                            "400", "429")}}


def _item_path(name: str, operation: str) -> dict:
    return {"get": {"operationId": operation, "summary": f"One of {name}, by id.", "parameters": [_PARAMETERS["id"]],
                    "responses": _responses(_json("The record.", f"{ITEM_NAMES[name]}Item",
                                                  {"ETag": _ETAG, "Cache-Control": _CACHE}), "404", "429")}}


def _page(name: str) -> dict:
    return object_of(f"A page of {name}.", {"data": {"type": "array", "items": _ref(NAMES[name])},
                                         "next": nullable(URL), "limit": INTEGER})


def _components() -> dict:
    components = {"Error": object_of("An error.", {"error": object_of("What went wrong.", {
        "status": INTEGER, "title": STRING, "message": STRING})})}
    for name, component in NAMES.items():
        components[component] = schemas.RECORDS[name]
        components[f"{component}Page"] = _page(name)
    for name, component in ITEM_NAMES.items():
        components[component] = schemas.ITEM_RECORDS[name]
        components[f"{component}Item"] = object_of(f"One of {name}.", {"data": _ref(component)})
    components["Index"] = object_of("What this API serves.", {"data": object_of("The index.", {
        "version": STRING, "resources": {"type": "object", "additionalProperties": object_of("A list.", {
            "url": URL, "summary": STRING})},
        "openapi": URL, "documentation": URL, "download": URL,
        "feeds": object_of("Atom feeds.", {"answers": URL, "declaration": STRING})})})
    components["Scorecard"] = SCORECARD
    components["ScorecardItem"] = object_of("An institution's scorecard.", {"data": _ref("Scorecard")})
    return components


def document(server: str) -> dict:
    """The document, its server the site's address."""
    paths = {"/api/v1/": {"get": {"operationId": "index", "summary": "What this API serves, with links.",
                                  "responses": _responses(_json("The index.", "Index", {"ETag": _ETAG}), "429")}}}
    for name, resource in API_RESOURCES.items():
        paths[f"/api/v1/{name}"] = _list_path(resource, f"list_{name}")
        paths[f"/api/v1/{name}/{{id}}"] = _item_path(name, f"get_{name}")
    paths["/api/v1/submissions/{id}/signatories"] = {"get": {
        "operationId": "list_signatories", "summary": "The signatories of a public dossier who chose to be named "
                                                      "publicly; the others are never listed.",
        "parameters": [_PARAMETERS["id"], _cursor(SIGNATORIES), _PARAMETERS["limit"]],
        "responses": _responses(_json("A page of signatories.", "SignatoryPage",
                                      {"ETag": _ETAG, "Cache-Control": _CACHE, "Link": _LINK}), "400", "404", "429")}}
    paths["/api/v1/institutions/{id}/scorecard"] = {"get": {
        "operationId": "get_scorecard", "summary": "An institution's scorecard over the public dossiers: deadlines "
                                                   "met, answers, positions by pillar, the alliance's assessments.",
        "parameters": [_PARAMETERS["id"], {
            "name": "year", "in": "query", "required": False, "description": "The year of submissions counted "
            "(the latest with a public submission by default), or `all` for every year.",
            "schema": {"anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2999}, {"const": "all"}]}}],
        "responses": _responses(_json("The scorecard.", "ScorecardItem", {"ETag": _ETAG, "Cache-Control": _CACHE}),
                                "400", "404", "429")}}
    paths["/api/v1/openapi.json"] = {"get": {
        "operationId": "openapi", "summary": "This document.",
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "Sanad open data", "version": VERSION, "description": DESCRIPTION,
                     "license": {"name": "Public data of the alliance"}},
            "servers": [{"url": server}], "paths": paths, "components": {"schemas": _components()}}
