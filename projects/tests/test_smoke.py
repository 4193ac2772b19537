import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "state", ["draft", "submitted", "returned", "in_review", "rejected", "approved", "in_operation"]
)
def test_it_builds_every_state(make_filing, clerk, departments, state):
    filing = make_filing(clerk, state)
    assert filing.status == state
