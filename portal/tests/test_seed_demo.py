import pytest
from django.core.management import CommandError, call_command

from portal.models import Membership, Organization, User

pytestmark = pytest.mark.django_db


def counts():
    return Organization.objects.count(), User.objects.count(), Membership.objects.count()


def test_it_seeds_demo_data_idempotently(capsys):
    call_command("seed_demo")
    first = counts()
    assert first[0] >= 17
    assert User.objects.filter(username="city_official").exists()
    call_command("seed_demo")
    assert counts() == first


def test_it_refuses_to_seed_in_production(settings):
    settings.PORTAL_ENV = "production"
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0)
