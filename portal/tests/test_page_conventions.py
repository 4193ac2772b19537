"""The shared page conventions: error pages, sign-in help, form messages, the letter layout."""

import datetime
import re

import pytest
from django import forms
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.demo import DEMO_PASSWORD
from portal.forms.common import PLACEHOLDER, BootstrapMixin
from portal.letters import CLOSING, OPENING, break_lines, chinese_date, letter_filename, register_fonts

pytestmark = pytest.mark.django_db


# ---- Error pages ----


def test_a_404_is_a_page_in_the_site_layout_with_a_way_back(client, official):
    client.force_login(official)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert "页面不存在" in html
    assert reverse("dashboard") in html  # the way back
    assert 'id="main"' in html  # the site's layout


def test_a_403_keeps_our_chinese_reason(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("projects:opinion-list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html
    assert "只有审批部门的联络员可以查看此页。" in html
    assert "403 Forbidden" not in html


def test_error_pages_follow_the_language(client, official):
    client.force_login(official)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_api_keeps_problem_json_for_unknown_paths(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


def test_an_expired_form_gets_a_page_that_says_so(official):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    response = client.post(reverse("password_change"), {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


# ---- Sign-in ----


def test_sign_in_says_which_field_is_empty(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert "请填写用户名。" in html
    assert "请填写密码。" in html


def test_sign_in_warns_with_the_attempts_left_before_the_lockout(client, official, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client.post(reverse("login"), {"username": "official", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "official", "password": "wrong"})
    html = response.content.decode()
    assert 'data-testid="attempts-left"' in html
    assert "还可尝试 3 次" in html
    assert "门户管理员" in html  # whom to contact


def test_forgotten_password_goes_through_email(client, official):
    official.email = "official@example.invalid"
    official.save(update_fields=["email"])
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page
    response = client.post(reverse("password_reset"), {"email": "official@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "重置" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(url, {"new_password1": "Another-Pass-2026", "new_password2": "Another-Pass-2026"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("Another-Pass-2026")
    assert not official.check_password(DEMO_PASSWORD)


# ---- Form conventions ----


class AmountForm(BootstrapMixin, forms.Form):
    field_units = {"amount": "万元"}
    amount = forms.DecimalField(label="金额", max_digits=14, decimal_places=2)
    kind = forms.ChoiceField(label="类别", choices=[("", "---------"), ("a", "甲")])
    people = forms.MultipleChoiceField(label="人员", choices=[("1", "张三"), ("2", "李四")], required=False)
    note = forms.CharField(label="说明", max_length=5, required=False, error_messages={"max_length": "说明太长。"})


def test_forms_get_placeholders_and_plain_messages_with_units():
    form = AmountForm({"amount": "123456789012345", "kind": "", "note": "长长长长长长"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["不能超过 999,999,999,999.99 万元。"]
    assert form.errors["kind"] == ["请选择此项。"]
    assert form.errors["note"] == ["说明太长。"]  # a message the form set itself wins
    html = str(form["kind"])
    assert str(PLACEHOLDER) in html and "---------" not in html
    assert 'aria-invalid="true"' in html
    assert "data-picker" in str(form["people"])


def test_form_messages_follow_the_language():
    with translation.override("en"):
        form = AmountForm({"amount": "x", "kind": ""})
        assert not form.is_valid()
        assert not re.search(r"[\u4e00-\u9fff]", " ".join(form.errors["amount"] + form.errors["kind"]))


# ---- Letters ----


def test_letter_dates_have_no_zero_padding():
    assert chinese_date(datetime.date(2026, 3, 5)) == "2026年3月5日"
    assert chinese_date(datetime.date(2026, 12, 25)) == "2026年12月25日"


def test_no_line_begins_with_closing_punctuation():
    _, body = register_fonts()
    text = (
        "你单位报送的“北京市交通运行监测调度中心（TOCC）三期工程”（建设性质：新建，政府投资2360.00万元）收悉。"
        "依据《北京市信息化促进条例》第十三条，我局进行了审查，意见如下：“同意。”"
    )
    widths = range(150, 460, 3)
    for width in widths:
        lines = break_lines(text, body, 16, width, indent=32)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] not in CLOSING, (width, lines)
            assert line[-1] not in OPENING, (width, lines)


def test_letter_file_names_come_from_the_document_number():
    assert letter_filename("京经信审〔2026〕3号", "审查意见书") == "京经信审〔2026〕3号 审查意见书.pdf"
    assert letter_filename("a/b", "x") == "a_b x.pdf"
