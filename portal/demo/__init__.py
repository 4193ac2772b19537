"""Demo organizations and one user per role, for `manage.py seed_demo`. Never loaded in production."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.models import DepartmentType, District, Level, Organization, OrganizationKind, Role, Sector, User
from portal.services import membership_create, organization_create, user_create
from portal.services.calendar import calendar_next_year_watch, calendar_years_ensure_provisional
from portal.uscc import uscc_check_character

# How far ahead demo deadlines reach (review periods, reminders after the due date).
DEMO_CALENDAR_HORIZON_DAYS = 120
DEMO_PASSWORD = "Portal-Demo-2026"  # noqa: S105 (demo data only; refused in production)


def demo_uscc(prefix: str, serial: int) -> str:
    """A valid code: registration authority + type (2), Beijing division (6), serial (9), check character."""
    first17 = f"{prefix}110000{serial:09d}"
    return first17 + uscc_check_character(first17)


CITY, DISTRICT = Level.CITY, Level.DISTRICT
K = OrganizationKind
# key, name, kind, level, district, extras
ORGANIZATIONS = [
    ("authority", "北京市经济和信息化局", K.AUTHORITY, CITY, "", {"document_code": "京经信"}),
    ("haidian_authority", "海淀区经济和信息化局", K.AUTHORITY, DISTRICT, District.HAIDIAN, {"document_code": "海经信"}),
    (
        "chaoyang_authority",
        "朝阳区经济和信息化局",
        K.AUTHORITY,
        DISTRICT,
        District.CHAOYANG,
        {"document_code": "朝经信"},
    ),
    ("drc", "北京市发展和改革委员会", K.DEPARTMENT, CITY, "", {"department_type": DepartmentType.DEVELOPMENT_REFORM}),
    ("finance", "北京市财政局", K.DEPARTMENT, CITY, "", {"department_type": DepartmentType.FINANCE}),
    ("transport", "北京市交通委员会", K.AGENCY, CITY, "", {}),
    ("education", "北京市教育委员会", K.AGENCY, CITY, "", {}),
    ("health", "北京市卫生健康委员会", K.AGENCY, CITY, "", {}),
    ("planning", "北京市规划和自然资源委员会", K.AGENCY, CITY, "", {}),
    ("haidian_education", "海淀区教育委员会", K.AGENCY, DISTRICT, District.HAIDIAN, {}),
    ("haidian_market", "海淀区市场监督管理局", K.AGENCY, DISTRICT, District.HAIDIAN, {}),
    ("chaoyang_health", "朝阳区卫生健康委员会", K.AGENCY, DISTRICT, District.CHAOYANG, {}),
    ("contractor_a", "北京华信系统集成有限公司", K.CONTRACTOR, CITY, "", {}),
    ("contractor_b", "北京政通软件技术有限公司", K.CONTRACTOR, DISTRICT, District.HAIDIAN, {}),
    ("water", "北京市自来水集团有限责任公司", K.PUBLIC_ENTERPRISE, CITY, "", {"sector": Sector.WATER}),
    ("evaluator", "北京信息安全测评中心", K.EVALUATOR, CITY, "", {}),
]
CHILDREN = [("transport_it", "北京市交通委员会信息中心", K.AGENCY, CITY, "", {"parent": "transport"})]
# Appended after the rest: a row's serial (its code) is its position, so new rows go last.
# Art. 13: a district filing is approved by its own district's departments, never the city's.
DISTRICT_DEPARTMENTS = [
    (
        "haidian_drc",
        "海淀区发展和改革委员会",
        K.DEPARTMENT,
        DISTRICT,
        District.HAIDIAN,
        {"department_type": DepartmentType.DEVELOPMENT_REFORM},
    ),
    (
        "haidian_finance",
        "海淀区财政局",
        K.DEPARTMENT,
        DISTRICT,
        District.HAIDIAN,
        {"department_type": DepartmentType.FINANCE},
    ),
]

# username, full name, organization key, role
USERS = [
    ("city_official", "王建国", "authority", Role.AUTHORITY_OFFICIAL),
    ("city_reviewer", "李审查", "authority", Role.AUTHORITY_REVIEWER),
    ("enforcement", "赵执法", "authority", Role.ENFORCEMENT_OFFICER),
    ("haidian_official", "陈海淀", "haidian_authority", Role.DISTRICT_OFFICIAL),
    ("chaoyang_official", "刘朝阳", "chaoyang_authority", Role.DISTRICT_OFFICIAL),
    ("agency_clerk", "张经办", "transport", Role.AGENCY_CLERK),
    ("agency_manager", "孙主任", "transport", Role.AGENCY_MANAGER),
    ("other_clerk", "周教委", "education", Role.AGENCY_CLERK),
    ("haidian_clerk", "吴海教", "haidian_education", Role.AGENCY_CLERK),
    ("drc_liaison", "郑发改", "drc", Role.DEPARTMENT_LIAISON),
    ("finance_liaison", "钱财政", "finance", Role.DEPARTMENT_LIAISON),
    ("water_clerk", "冯供水", "water", Role.PUBLIC_ENTERPRISE_CLERK),
    ("contractor_clerk", "韩承建", "contractor_a", Role.CONTRACTOR_CLERK),
]


@transaction.atomic
def seed_demo() -> dict[str, Organization]:
    """Idempotent: existing rows (matched by code and username) are left as they are."""
    # Demo filings start reviews today and count working days into the coming months; where the
    # State Council's calendar for those months is not loaded, demo data uses a weekend-only one.
    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=DEMO_CALENDAR_HORIZON_DAYS))
    organizations: dict[str, Organization] = {}
    for serial, (key, name, kind, level, district, extras) in enumerate(
        ORGANIZATIONS + CHILDREN + DISTRICT_DEPARTMENTS, start=1
    ):
        uscc = demo_uscc("11" if kind in (K.AUTHORITY, K.DEPARTMENT, K.AGENCY) else "91", serial)
        existing = Organization.objects.filter(uscc=uscc).first()
        if existing:
            organizations[key] = existing
            continue
        extras = dict(extras)
        if "parent" in extras:
            extras["parent"] = organizations[extras["parent"]]
        organizations[key] = organization_create(
            actor=None,
            name=name,
            kind=kind,
            level=level,
            district=district,
            uscc=uscc,
            responsible_leader="分管副局长",
            responsible_unit="信息中心",
            address="北京市",
            phone="010-12345678",
            **extras,
        )
    for username, full_name, org_key, role in USERS:
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password=DEMO_PASSWORD, full_name=full_name, email=f"{username}@demo.invalid"
        )
        membership_create(user=user, organization=organizations[org_key], role=role)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@demo.invalid", DEMO_PASSWORD, full_name="系统管理员")
    from portal.demo.deadlines import seed_demo_deadlines

    seed_demo_deadlines(organizations)
    calendar_next_year_watch()  # from November: the authority's duty to load next year's calendar
    return organizations
