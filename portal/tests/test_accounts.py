"""Login, logout, password change, idle timeout and lockout, through the real views."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password=DEMO_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_it_uses_the_custom_user_model(django_user_model):
    assert django_user_model._meta.label == "portal.User"


def test_it_logs_in_and_redirects_to_the_dashboard(client, clerk):
    response = login(client, "clerk")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(client, official):
    response = login(client, "official", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "用户名或密码不正确" in response.content.decode()


def test_it_logs_out_with_post(client, official):
    client.force_login(official)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("dashboard")).status_code == 302


def test_it_changes_the_password(client, official):
    client.force_login(official)
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "Neues-Kennwort-77", "new_password2": "Neues-Kennwort-77"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    client.post(reverse("logout"))
    assert login(client, "official", DEMO_PASSWORD).status_code == 200  # old one refused
    assert login(client, "official", "Neues-Kennwort-77").status_code == 302


def test_it_refuses_a_weak_new_password_with_a_field_error(client, official):
    client.force_login(official)
    response = client.post(
        reverse("password_change"), {"old_password": DEMO_PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_it_ends_the_session_after_the_idle_timeout(client, clerk, settings):
    with freeze_time("2026-03-02 09:00:00") as clock:
        assert login(client, "clerk").status_code == 302
        clock.tick(settings.SESSION_COOKIE_AGE - 60)
        assert client.get(reverse("dashboard")).status_code == 200  # activity renews the session
        clock.tick(settings.SESSION_COOKIE_AGE - 60)
        assert client.get(reverse("dashboard")).status_code == 200
        clock.tick(settings.SESSION_COOKIE_AGE + 1)
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_locks_the_account_after_five_failures_even_for_the_right_password(client, official, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login(client, "official", "wrong-password").status_code == 200
    response = login(client, "official", "wrong-password")
    assert response.status_code == 429
    response = login(client, "official", DEMO_PASSWORD)
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_the_token_endpoint_with_a_problem_response(client, official):
    url = reverse("api-token")
    for _ in range(5):
        client.post(url, {"username": "official", "password": "wrong-password"}, content_type="application/json")
    response = client.post(url, {"username": "official", "password": DEMO_PASSWORD}, content_type="application/json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 429
    assert set(body) >= {"type", "title", "status", "detail"}
    assert "token" not in body


def test_it_resets_the_failure_count_after_a_successful_login(client, official):
    for _ in range(4):
        login(client, "official", "wrong-password")
    assert login(client, "official").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert login(client, "official", "wrong-password").status_code == 200
    assert login(client, "official").status_code == 302
