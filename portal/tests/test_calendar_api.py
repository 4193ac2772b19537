"""GET /api/v1/calendar/working-days/ and loading a year of the calendar in the admin."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from rest_framework.authtoken.models import Token

from portal.models import CalendarDay, CalendarYear
from portal.services import calendar_csv_parse
from portal.workdays import is_working_day

pytestmark = pytest.mark.django_db
URL = "/api/v1/calendar/working-days/"


def test_it_adds_working_days_across_the_spring_festival(client, clerk, django_assert_num_queries):
    client.force_login(clerk)
    with django_assert_num_queries(6):  # session, user, calendar rows, session save (savepoint, update, release)
        response = client.get(URL, {"start": "2026-02-13", "days": "2"})
    assert response.status_code == 200
    assert response.json() == {"start": "2026-02-13", "days": 2, "due": "2026-02-24", "provisional": False}


@freeze_time("2026-12-10 09:00:00+08:00")
def test_it_counts_into_a_year_not_loaded_yet_and_says_the_result_is_provisional(client, clerk):
    client.force_login(clerk)
    response = client.get(URL, {"start": "2026-12-28", "days": "10"})
    assert response.status_code == 200
    assert response.json() == {"start": "2026-12-28", "days": 10, "due": "2027-01-12", "provisional": True}


def test_it_accepts_an_agency_systems_token(client, clerk):
    token = Token.objects.create(user=clerk)
    response = client.get(URL, {"start": "2026-09-30", "days": "1"}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.json()["due"] == "2026-10-08"


def test_it_requires_authentication(client):
    response = client.get(URL, {"start": "2026-02-13", "days": "2"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("params", "name", "reason"),
    [
        ({"start": "2026-13-01", "days": "2"}, "start", "YYYY-MM-DD"),
        ({"days": "2"}, "start", "start"),
        ({"start": "2026-02-13", "days": "two"}, "days", "整数"),
        ({"start": "2026-02-13", "days": "99999"}, "days", "3650"),
        ({"start": "2003-03-01", "days": "5"}, "start", "2003"),  # before the loaded years: never guessed
        ({"start": "2004-01-05", "days": "-10"}, "days", "2003"),
    ],
)
def test_it_names_the_bad_parameter(client, clerk, params, name, reason):
    client.force_login(clerk)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["invalid_params"][0]["name"] == name
    assert reason in body["invalid_params"][0]["reason"]


# --- loading a year -------------------------------------------------------------------------------

GOOD_2027 = """日期,类型,说明
2027-01-01,休息日,元旦
2027-02-06,工作日,调休上班（春节）
2027-02-08,rest,春节
"""


@pytest.fixture
def admin_user(make_user):
    user = make_user("calendar_admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def upload(client, text: str, year: int = 2027, **extra):
    return client.post(
        reverse("admin:portal_calendaryear_upload"),
        {"year": year, "file": SimpleUploadedFile("2027.csv", text.encode("utf-8")), "note": "国办发明电", **extra},
    )


def test_it_loads_a_year_from_the_state_council_list(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, GOOD_2027)
    assert response.status_code == 302
    assert CalendarDay.objects.filter(day__year=2027).count() == 365
    assert is_working_day(date(2027, 2, 6)) is True  # a Saturday made a working day
    assert is_working_day(date(2027, 2, 8)) is False  # a Monday made a holiday
    assert is_working_day(date(2027, 3, 1)) is True  # an ordinary Monday
    assert CalendarYear.objects.get(year=2027).loaded_by == admin_user
    response = client.get(reverse("admin:portal_calendaryear_changelist"))
    assert "2004–2027" in response.content.decode()


def test_it_reports_every_bad_row_and_saves_nothing(client, admin_user):
    client.force_login(admin_user)
    bad = "\n".join(
        [
            "2027-01-01,休息日,元旦",
            "2027-02-30,休息日,",
            "2027-03-01,假期,",
            "2026-05-01,rest,",
            "2027-01-01,rest,重复",
            "2027-04-05",
        ]
    )
    response = upload(client, bad)
    body = response.content.decode()
    assert response.status_code == 200
    for expected in ("第 2 行", "第 3 行", "第 4 行", "第 5 行", "第 6 行", "未保存任何数据"):
        assert expected in body
    assert "<li>第 1 行" not in body  # the good row
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(day__year=2027).exists()


def test_it_asks_before_replacing_a_loaded_year(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, "2026-10-09,rest,x\n", year=2026)
    assert "请勾选此项" in response.content.decode()
    assert is_working_day(date(2026, 10, 9)) is True
    upload(client, "2026-10-09,rest,x\n", year=2026, replace="on")
    assert is_working_day(date(2026, 10, 9)) is False


def test_it_refuses_the_upload_to_a_non_admin(client, official):
    client.force_login(official)
    response = upload(client, GOOD_2027)
    assert response.status_code == 302  # to the admin login: officials are not admin staff
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_it_parses_the_list_and_says_what_to_fix():
    assert calendar_csv_parse("2027-01-01,工作日,\n", year=2027) == [(date(2027, 1, 1), True, "")]
    with pytest.raises(Exception) as excinfo:
        calendar_csv_parse("", year=2027)
    assert "没有任何日期行" in str(excinfo.value)
