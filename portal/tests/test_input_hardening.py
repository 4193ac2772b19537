"""Issue 8: no 500 on any input. Control characters and unbounded text (defect 5), calendar date edges
(defect 6), page/page_size validation, problem+json for unhandled API errors, and a truthful schema."""

import pytest
from django import forms
from django.urls import path, reverse
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from portal.forms.deadlines import DeadlineWaiveForm
from portal.validators import TEXT_MAX_LENGTH

pytestmark = pytest.mark.django_db


# --- Defect 5: control characters in every text input, one mechanism.


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_every_drf_text_field_refuses_control_characters(character):
    field = serializers.CharField()
    with pytest.raises(serializers.ValidationError) as error:
        field.run_validation(f"意见{character}内容")
    assert error.value.detail[0].code == "control-characters"
    assert "控制字符" in str(error.value.detail[0])


def test_every_form_text_field_refuses_control_characters_but_keeps_newlines():
    form = DeadlineWaiveForm({"reason": "第一行\r\n第二行\t缩进"})
    assert form.is_valid(), form.errors
    form = DeadlineWaiveForm({"reason": "理由\x00"})
    assert not form.is_valid()
    assert form.errors["reason"] == ["不得包含控制字符（如 NUL、退格等不可见字符），请删除后重试。"]
    assert forms.EmailField().clean("a@example.cn") == "a@example.cn"  # subclasses keep their own rules


def test_a_nul_in_an_api_body_is_a_field_error_not_a_500(client):
    response = client.post(
        reverse("api-token"), {"username": "abc\u0000", "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0] == {
        "name": "username",
        "reason": "不得包含控制字符（如 NUL、退格等不可见字符），请删除后重试。",
        "code": "control-characters",
    }


def test_a_nul_in_a_query_string_is_refused_before_any_view_reads_it(client, clerk):
    client.force_login(clerk)
    response = client.get("/api/v1/deadlines/?kind=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    page = client.get("/deadlines/?kind=%00")
    assert page.status_code == 400


def test_unbounded_text_gets_the_shared_maximum_length_and_the_schema_says_so(client, clerk):
    assert serializers.CharField().max_length == TEXT_MAX_LENGTH
    assert serializers.CharField(max_length=30).max_length == 30
    field = serializers.CharField()
    with pytest.raises(serializers.ValidationError):
        field.run_validation("长" * (TEXT_MAX_LENGTH + 1))
    client.force_login(clerk)
    schema = client.get("/api/v1/schema/?format=json").json()
    token_request = schema["components"]["schemas"]["TokenRequest"]["properties"]
    assert token_request["username"]["maxLength"] == TEXT_MAX_LENGTH


# --- Defect 6: calendar dates at the edges.


@pytest.mark.parametrize(
    "params",
    [
        {"start": "9999-12-31", "days": "1"},
        {"start": "0001-01-01", "days": "-5"},
        {"start": "9999-12-31", "days": "3650"},
        {"start": "1899-12-31", "days": "0"},
    ],
)
def test_working_days_at_the_edges_of_the_date_range_are_field_errors(client, clerk, params):
    client.force_login(clerk)
    response = client.get("/api/v1/calendar/working-days/", params)
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "start"
    assert response.json()["invalid_params"][0]["reason"] == "日期应在 1900-01-01 至 2199-12-31 之间。"


def test_working_days_past_the_loaded_calendar_name_the_missing_year(client, clerk):
    client.force_login(clerk)
    response = client.get("/api/v1/calendar/working-days/", {"start": "2199-12-20", "days": "3650"})
    assert response.status_code == 400
    assert "工作日历未载入" in response.json()["detail"]


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "0000-01", "10000-01", "2026-13", "x"])
def test_the_deadline_calendar_page_falls_back_to_this_month_at_the_edges(client, clerk, month):
    client.force_login(clerk)
    response = client.get(reverse("deadline-calendar"), {"month": month})
    assert response.status_code == 200


def test_workday_arithmetic_never_overflows():
    from datetime import date

    from portal.workdays import MissingCalendarYear, add_calendar_days, add_working_days

    for start, days in [(date.max, 1), (date.min, -5), (date.max, 0)]:
        with pytest.raises(MissingCalendarYear):
            add_working_days(start, days)
    with pytest.raises(MissingCalendarYear):
        add_calendar_days(date.max, 10)


# --- Pagination parameters are validated, not silently replaced.


@pytest.mark.parametrize(
    ("params", "status", "name"),
    [
        ({"page": "0"}, 400, "page"),
        ({"page": "abc"}, 400, "page"),
        ({"page": "-1"}, 400, "page"),
        ({"page_size": "0"}, 400, "page_size"),
        ({"page_size": "201"}, 400, "page_size"),
        ({"page_size": "1e3"}, 400, "page_size"),
        ({"page": "99"}, 404, None),
    ],
)
def test_invalid_page_parameters_are_problems(client, clerk, params, status, name):
    client.force_login(clerk)
    response = client.get("/api/v1/organizations/", params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    if name:
        assert response.json()["invalid_params"][0]["name"] == name


def test_valid_page_parameters_page(client, clerk):
    client.force_login(clerk)
    response = client.get("/api/v1/organizations/", {"page": "1", "page_size": "1"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


# --- Unhandled errors under /api/ answer problem+json without internals.


@api_view(["GET"])
@permission_classes([AllowAny])
def _boom(request):
    raise RuntimeError("secret internals: password=hunter2")


@api_view(["GET"])
@permission_classes([AllowAny])
def _database_down(request):
    from django.db import OperationalError

    raise OperationalError("connection to server at 10.0.0.5 failed")


urlpatterns = [path("api/v1/boom/", _boom), path("api/v1/db-down/", _database_down)]


@pytest.mark.urls(__name__)
def test_an_unhandled_api_error_is_a_problem_without_internals(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.content.decode()
    assert "hunter2" not in body and "RuntimeError" not in body and "Traceback" not in body
    assert response.json()["title"] == "服务器内部错误"


@pytest.mark.urls(__name__)
def test_a_database_outage_under_the_api_is_a_503_problem(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/db-down/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert "10.0.0.5" not in response.content.decode()


# --- The schema documents problem+json errors on every operation.


def test_every_operation_documents_its_problem_responses(client, clerk):
    client.force_login(clerk)
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "Problem" in schema["components"]["schemas"]
    operations = 0
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            operations += 1
            responses = operation["responses"]
            assert "429" in responses and "503" in responses, (method, route)
            # Public operations (anonymous callers allowed: an empty requirement in ``security``) answer
            # neither 401 nor 403; every other one documents both.
            public = {} in operation.get("security", [])
            if route != "/api/v1/auth/token/" and "schema" not in route and not public:
                assert {"401", "403"} <= set(responses), (method, route)
            if "{" in route:
                assert "404" in responses, (method, route)
            if method == "post":
                assert {"400", "409"} <= set(responses), (method, route)
                problem = responses["400"]["content"]["application/problem+json"]["schema"]
                assert problem == {"$ref": "#/components/schemas/Problem"}
    assert operations > 10
