"""The API answers as its OpenAPI document says: every real response of every list, item and page of a list on a
site with data validated against the document's schema for it (jsonschema-rs, formats included), and schemathesis
generating requests from the document for every operation and checking status codes, content types, headers and
bodies against it."""
import jsonschema_rs
import schemathesis
from hypothesis import HealthCheck, settings

from app.opendata import openapi
from app.opendata.resources import API_RESOURCES


def _validator(document: dict, operation_path: str, status: str = "200"):
    """A validator of one response body of the document (its $refs resolved within the document)."""
    response = document["paths"][operation_path]["get"]["responses"][status]
    schema = {**response["content"]["application/json"]["schema"], "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _check(validator, body, where: str) -> None:
    errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, (where, errors[:5])


def test_the_document_is_openapi_3_1_and_describes_every_route_of_the_api(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    served = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    described = set(document["paths"])
    expected = {"/api/v1/", "/api/v1/openapi.json", "/api/v1/submissions/{id}/signatories",
                "/api/v1/institutions/{id}/scorecard"}
    expected |= {f"/api/v1/{name}" for name in API_RESOURCES} | {f"/api/v1/{name}/{{id}}" for name in API_RESOURCES}
    assert described == expected
    assert len(served) == 6  # index, list, item, signatories, scorecard, the document: each described above
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["operationId"] and operation["responses"]["200"], (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter["schema"] and parameter["description"], (path, parameter["name"])


def test_every_real_response_matches_the_document(app, open_site):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    _check(_validator(document, "/api/v1/"), client.get("/api/v1/").get_json(), "index")
    checked = 0
    for name in API_RESOURCES:
        page_validator = _validator(document, f"/api/v1/{name}")
        item_validator = _validator(document, f"/api/v1/{name}/{{id}}")
        url = f"/api/v1/{name}?limit=1"
        records = []
        while url:  # every page, with its next link
            body = client.get(url).get_json()
            _check(page_validator, body, url)
            records += body["data"]
            url = body["next"]
        assert records, name
        for record in records:
            _check(item_validator, client.get(f"/api/v1/{name}/{record['id']}").get_json(), f"{name} {record['id']}")
            checked += 1
    signatories = _validator(document, "/api/v1/submissions/{id}/signatories")
    _check(signatories, client.get(f"/api/v1/submissions/{open_site.submission_id}/signatories").get_json(),
           "signatories")
    errors = _validator(document, "/api/v1/declarations", "400")
    _check(errors, client.get("/api/v1/declarations?limit=0").get_json(), "400")
    _check(_validator(document, "/api/v1/declarations/{id}", "404"), client.get("/api/v1/declarations/999999")
           .get_json(), "404")
    assert checked >= 15


def test_a_record_with_more_than_the_document_says_fails_its_schema(app, open_site):
    """The schemas allow no property they do not name: a reviewer's name slipped into an answer would fail."""
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    body = client.get("/api/v1/answers").get_json()
    body["data"][0]["author"] = "A reviewer"
    assert not _validator(document, "/api/v1/answers").is_valid(body)


# The document as the site serves it (the same data; the served one is compared with it below). schemathesis's
# loader from a pytest fixture does not run on pytest 9, so the schema is loaded here and the app is handed to
# each call.
schema = schemathesis.openapi.from_dict(openapi.document("http://localhost"))


def test_the_document_schemathesis_reads_is_the_one_served(app):
    assert app.test_client().get("/api/v1/openapi.json").get_json() == openapi.document("http://localhost")


@schema.parametrize()
@settings(max_examples=15, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_every_answer_as_documented(case, app, open_site):
    # The WSGI transport reads the body as sent: uncompressed (compression is Flask-Compress's, tested apart).
    case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"})
