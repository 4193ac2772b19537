"""The OpenAPI schema tells the truth (issue 8), in the places the API fuzz test (tests/test_api_fuzz.py)
found it promising what the server does not do: errors every operation can answer, read-only fields
that may be blank or null, keyset pages without a count, a list that is not paginated."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield route, method, operation


def test_every_operation_documents_400_and_every_write_404(schema):
    # Any request may carry a query string with control characters (400 from the middleware); a write's
    # body may name an object the caller cannot see (404), as a grading names its system.
    checked = 0
    for route, method, operation in operations(schema):
        assert "400" in operation["responses"], (method, route)
        if method != "get":
            assert "404" in operation["responses"], (method, route)
        checked += 1
    assert checked > 100
    assert "400" in schema["paths"]["/api/v1/calendar/working-days/"]["get"]["responses"]
    assert "404" in schema["paths"]["/api/v1/security/gradings/"]["post"]["responses"]


def test_a_read_only_choice_the_model_leaves_blank_may_be_blank(schema):
    # SystemSerializer: district is read-only; DRF drops allow_blank from read-only model fields.
    district = schema["components"]["schemas"]["System"]["properties"]["district"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in district["oneOf"]


def test_a_read_only_field_through_a_nullable_relation_may_be_null(schema):
    components = schema["components"]["schemas"]
    assert components["EnforcementFinding"]["properties"]["case_number"].get("nullable") is True  # default=None
    assert components["Plan"]["properties"]["conforms_to"].get("nullable") is True  # nullable foreign key
    assert components["Plan"]["properties"]["published_version"].get("nullable") is True  # nested, nullable FK
    # A relation that is never null stays non-nullable.
    assert not components["System"]["properties"]["operator_name"].get("nullable")


def test_a_paginated_list_does_not_promise_a_count(schema):
    # A keyset page (?cursor=) answers next, previous and results only.
    paginated = schema["components"]["schemas"]["PaginatedSystemList"]
    assert paginated["required"] == ["results"]
    assert "count" in paginated["properties"]


def test_the_duplicate_check_answers_a_plain_list(schema):
    response = schema["paths"]["/api/v1/resources/catalog/duplicate-check/"]["post"]["responses"]["200"]
    body = response["content"]["application/json"]["schema"]
    assert body["type"] == "array"


def test_problem_texts_have_no_length_limit(schema):
    # A reason may quote the input, and a bulk import's detail joins every row's reasons: the input
    # default maximum (portal.validators.TEXT_MAX_LENGTH) is no limit on what the server says.
    components = schema["components"]["schemas"]
    assert "maxLength" not in components["Problem"]["properties"]["detail"]
    assert "maxLength" not in components["InvalidParam"]["properties"]["reason"]
