"""The standards register (Art. 7): codes in one spelling, withdrawal with replacement, public list and search."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planning import services
from planning.rules import StandardCategory, StandardStatus, normalize_standard_code, standard_is_mandatory
from portal.workflow import Refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("gb/t22239-2019", "GB/T 22239-2019"),
        ("GB／T 22240－2020", "GB/T 22240-2020"),
        ("DB11/T  1918-2021", "DB11/T 1918-2021"),
        ("GB 32100-2015", "GB 32100-2015"),
    ],
)
def test_it_spells_codes_one_way(raw, code):
    assert normalize_standard_code(raw) == code


def test_it_tells_mandatory_from_recommended():
    assert standard_is_mandatory("GB 32100-2015")
    assert not standard_is_mandatory("GB/T 22239-2019")
    assert not standard_is_mandatory("DB11/T 1918-2021")


def test_it_registers_a_standard_with_its_category(official):
    standard = services.standard_create(
        actor=official, code="db11/t 1918-2021", title="本市标准", effective_on=date(2022, 1, 1)
    )

    assert standard.code == "DB11/T 1918-2021"
    assert standard.category == StandardCategory.LOCAL
    assert standard.status == StandardStatus.CURRENT


def test_it_refuses_a_malformed_or_duplicate_code(official, standards):
    with pytest.raises(ValidationError) as bad:
        services.standard_create(actor=official, code="等保2.0", title="x", effective_on=date(2020, 1, 1))
    assert bad.value.error_dict["code"][0].code == "standard-code-invalid"
    with pytest.raises(ValidationError) as twice:
        services.standard_create(actor=official, code="GB/T 22239-2019", title="x", effective_on=date(2020, 1, 1))
    assert twice.value.error_dict["code"][0].code == "standard-exists"


def test_it_lets_only_the_authority_keep_the_register(clerk):
    with pytest.raises(PermissionDenied):
        services.standard_create(
            actor=clerk, code="GB/T 9704-2012", title="党政机关公文格式", effective_on=date(2012, 7, 1)
        )


def test_it_withdraws_once_with_its_replacement(official, standards):
    old = standards["withdrawn"]

    assert old.status == StandardStatus.WITHDRAWN
    assert old.replaced_by == standards["replacement"]
    with pytest.raises(Refused) as again:
        services.standard_withdraw(standard=old, actor=official, withdrawn_on=date(2021, 1, 1))
    assert again.value.code == "standard-withdrawn"


def test_it_refuses_a_withdrawal_before_the_effective_date(official, standards):
    with pytest.raises(ValidationError):
        services.standard_withdraw(standard=standards["local"], actor=official, withdrawn_on=date(2020, 1, 1))


def test_public_list_searches_by_code_and_title(client, standards):
    by_code = client.get(reverse("public-standards"), {"q": "22239"}).content.decode()
    by_title = client.get(reverse("public-standards"), {"q": "定级指南"}).content.decode()
    withdrawn = client.get(reverse("public-standards"), {"status": "withdrawn"}).content.decode()

    assert "GB/T 22239-2019" in by_code and "GB/T 22240-2020" not in by_code
    assert "GB/T 22240-2020" in by_title and "GB/T 22240-2008" in by_title and "GB/T 22239-2019" not in by_title
    assert "GB/T 22240-2008" in withdrawn and "DB11/T 1918-2021" not in withdrawn


def test_public_list_exports_csv(client, standards):
    response = client.get(reverse("public-standards"), {"category": "local", "format": "csv"})

    rows = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 2 and rows[1].startswith("DB11/T 1918-2021")


def test_public_detail_shows_the_replacement(client, standards):
    response = client.get(reverse("public-standard-detail", args=[standards["withdrawn"].uuid]))

    assert response.status_code == 200
    assert "GB/T 22240-2020" in response.content.decode()


def test_staff_page_is_403_for_a_clerk_and_registers_for_the_authority(client, clerk, official):
    client.force_login(clerk)
    assert client.get(reverse("planning:standard-manage")).status_code == 403

    client.force_login(official)
    bad = client.post(reverse("planning:standard-manage"), {"code": "abc", "title": "x", "effective_on": "2020-01-01"})
    good = client.post(
        reverse("planning:standard-manage"),
        {"code": "GB/T 9704-2012", "title": "党政机关公文格式", "effective_on": "2012-07-01"},
    )
    assert bad.status_code == 400 and "不是有效的标准编号" in bad.content.decode()
    assert good.status_code == 302


def test_staff_withdraws_on_the_page(client, official, standards):
    client.force_login(official)

    response = client.post(
        reverse("planning:standard-withdraw", args=[standards["current"].uuid]),
        {"withdrawn_on": "2025-01-01", "replaced_by": "GB/T 9999-2099"},
    )

    assert response.status_code == 302
    standards["current"].refresh_from_db()
    assert standards["current"].status == StandardStatus.CURRENT  # unknown replacement: nothing saved
