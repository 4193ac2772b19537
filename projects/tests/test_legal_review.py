"""Corrections from the legal review of Chapter 2 (issue 7): each test failed before its fix."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal.access import scope_for
from portal.models import District, Level, OrganizationKind, Role
from portal.selectors.deadlines import deadlines_for
from portal.services import membership_create
from portal.services.deadlines import deadline_can_manage
from portal.workflow import Refused
from projects import services
from projects.permissions import is_city_official, is_deciding_official, may_act_on_filing
from projects.rules import opinion_number_prefix

from .conftest import checklist_all

pytestmark = pytest.mark.django_db


# --- Bug 1: document numbers come from the issuing authority's own code -------------------------------


def _district_authority(make_org, name, district, code=""):
    return make_org(name, kind=OrganizationKind.AUTHORITY, level=Level.DISTRICT, district=district, document_code=code)


def test_it_takes_the_opinion_prefix_from_the_authority_code_in_any_language(make_org):
    dongcheng = _district_authority(make_org, "东城区经济和信息化局", District.DONGCHENG, "东经信")
    daxing = _district_authority(make_org, "大兴区经济和信息化局", District.DAXING, "兴经信")
    with translation.override("en"):  # Dongcheng and Daxing both begin with "D" in English
        prefixes = {opinion_number_prefix(dongcheng), opinion_number_prefix(daxing)}
    assert prefixes == {"东经信审", "兴经信审"}


def test_it_numbers_a_district_opinion_with_the_district_code(make_filing, haidian_clerk, district_official):
    with translation.override("en"):
        filing = make_filing(haidian_clerk, "approved", decider=district_official)
    assert filing.opinion_number.startswith(f"海经信审〔{timezone.localdate().year}〕")


def test_it_keeps_the_city_default_prefix(make_filing, clerk):
    assert make_filing(clerk, "approved").opinion_number.startswith("京经信审〔")


def test_it_refuses_to_number_for_an_authority_without_a_code(make_filing, haidian_clerk, district_official, orgs):
    from portal.models import Organization

    Organization.objects.filter(pk=orgs["haidian_authority"].pk).update(document_code="")
    filing = make_filing(haidian_clerk, "in_review", decider=district_official)
    checklist_all(filing, district_official)
    with pytest.raises(Refused) as refused:
        services.filing_approve(filing=filing, actor=district_official)
    assert refused.value.code == "document-code-missing"
    assert "发文机关代字" in refused.value.message


def test_it_refuses_a_document_code_on_a_unit_that_issues_nothing(make_org):
    with pytest.raises(ValidationError) as error:
        make_org("某委员会", document_code="某委")
    assert "document_code" in error.value.message_dict


def test_it_refuses_two_authorities_with_one_code(make_org):
    _district_authority(make_org, "东城区经济和信息化局", District.DONGCHENG, "东经信")
    with pytest.raises(ValidationError):
        _district_authority(make_org, "西城区经济和信息化局", District.XICHENG, "东经信")


def test_the_security_and_enforcement_prefixes_use_the_code_too(orgs, settings):
    from enforcement.rules import case_number_prefix
    from security.rules import filing_number_prefix

    settings.ENFORCEMENT_CASE_PREFIXES = {"city": "京经信罚"}
    with translation.override("en"):
        assert filing_number_prefix(orgs["haidian_authority"]) == "海经信等保备"
        # Before: a district without its own setting numbered its cases with the city's prefix.
        assert case_number_prefix(orgs["haidian_authority"]) == "海经信罚"
        assert case_number_prefix(orgs["authority"]) == "京经信罚"


# --- Bug 2: a role counts only in the organization that gave it -----------------------------------


@pytest.fixture
def chaoyang_official_reviewing_in_haidian(make_user, chaoyang_authority, orgs):
    user = make_user("chaoyang_official", chaoyang_authority, Role.DISTRICT_OFFICIAL)
    membership_create(user=user, organization=orgs["haidian_authority"], role=Role.AUTHORITY_REVIEWER)
    return user


def test_a_district_official_elsewhere_cannot_decide_where_they_only_review(
    chaoyang_official_reviewing_in_haidian, make_filing, haidian_clerk
):
    user = chaoyang_official_reviewing_in_haidian
    assert not is_deciding_official(user, level=Level.DISTRICT, district=District.HAIDIAN)
    assert is_deciding_official(user, level=Level.DISTRICT, district=District.CHAOYANG)
    filing = make_filing(haidian_clerk, "submitted")
    assert not may_act_on_filing(user, filing, "start_review")
    with pytest.raises(PermissionDenied):
        services.filing_start_review(filing=filing, actor=user, self_review=True)


def test_a_city_reviewer_who_is_a_district_official_cannot_sign_city_opinions(make_user, orgs):
    user = make_user("city_reviewer", orgs["authority"], Role.AUTHORITY_REVIEWER)
    membership_create(user=user, organization=orgs["haidian_authority"], role=Role.AUTHORITY_OFFICIAL)
    assert not is_city_official(user)
    assert is_deciding_official(user, level=Level.DISTRICT, district=District.HAIDIAN)


def test_deadlines_are_managed_by_the_pair_too(
    chaoyang_official_reviewing_in_haidian, make_filing, haidian_clerk, district_official
):
    filing = make_filing(haidian_clerk, "in_review", decider=district_official)
    deadline = deadlines_for(filing)[0]
    assert not deadline_can_manage(chaoyang_official_reviewing_in_haidian, deadline)


@pytest.mark.parametrize(
    ("role", "org_key"),
    [
        (Role.AUTHORITY_REVIEWER, "agency"),
        (Role.AUTHORITY_OFFICIAL, "agency"),
        (Role.DISTRICT_OFFICIAL, "authority"),  # a district role in the city authority
        (Role.AGENCY_CLERK, "authority"),
        (Role.DEPARTMENT_LIAISON, "agency"),
        (Role.CONTRACTOR_CLERK, "agency"),
    ],
)
def test_it_refuses_memberships_that_make_no_sense(make_user, orgs, role, org_key):
    user = make_user("someone")
    with pytest.raises(ValidationError) as error:
        membership_create(user=user, organization=orgs[org_key], role=role)
    assert "role" in error.value.message_dict
    assert not scope_for(user).grants


def test_the_admin_form_refuses_them_too(make_user, orgs):
    from portal.models import Membership

    membership = Membership(user=make_user("someone"), organization=orgs["agency"], role=Role.AUTHORITY_REVIEWER)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "信息化主管部门" in error.value.message_dict["role"][0]
