"""Annual plans of government-invested projects (Art. 12), drawn up by the authority with the
development-and-reform and finance departments of the same level."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.access import require
from portal.models import DepartmentType, District, Level, OrganizationKind, User
from portal.services import timeline_record
from projects.events import PlanEvent
from projects.models import AnnualPlan, AnnualPlanItem, FilingStatus, ProjectFiling
from projects.permissions import is_deciding_official, may_edit_annual_plan

PLAN_EDIT_REFUSED = "您无权修改该年度计划。"


def _same_level(organization, level: str, district: str) -> bool:
    if organization.level != level:
        return False
    return level == Level.CITY or organization.district == district


def _filing_check(plan: AnnualPlan, agency, filing: ProjectFiling | None) -> None:
    """A plan item's filing is the item agency's own (or its unit's), at the plan's level and district."""
    if filing is None:
        return
    if filing.status == FilingStatus.DRAFT:  # a draft is the agency's own; plans are read by everyone
        raise ValidationError({"filing": "草稿尚未报送，不能列入年度计划：请在报送后关联。"})
    if filing.agency_id != agency.pk and filing.agency.parent_id != agency.pk:
        raise ValidationError({"filing": "所选项目的建设单位与计划项目不一致。"})
    if not _same_level(filing, plan.level, plan.district):
        raise ValidationError({"filing": "所选项目不属于本计划的层级或所在区。"})


@transaction.atomic
def annual_plan_create(
    *,
    actor: User,
    year: int,
    level: str,
    district: str,
    title: str,
    authority,
    development_reform,
    finance,
    adopted_on=None,
    notes: str = "",
) -> AnnualPlan:
    require(is_deciding_official(actor, level=level, district=district), "只有同级信息化主管部门可以制定年度计划。")
    errors = {}
    district = district if level == Level.DISTRICT else ""
    where = "市级" if level == Level.CITY else f"{District(district).label if district else '该区'}"
    if authority.kind != OrganizationKind.AUTHORITY:
        errors["authority"] = "请选择信息化主管部门。"
    elif not _same_level(authority, level, district):
        errors["authority"] = f"请选择{where}的信息化主管部门：计划由同级主管部门制定（第十二条）。"
    if (
        development_reform.kind != OrganizationKind.DEPARTMENT
        or development_reform.department_type != DepartmentType.DEVELOPMENT_REFORM
    ):
        errors["development_reform"] = "请选择发展改革部门（第十二条）。"
    elif not _same_level(development_reform, level, district):
        errors["development_reform"] = f"请选择{where}的发展改革部门（第十二条：同级）。"
    if finance.kind != OrganizationKind.DEPARTMENT or finance.department_type != DepartmentType.FINANCE:
        errors["finance"] = "请选择财政部门（第十二条）。"
    elif not _same_level(finance, level, district):
        errors["finance"] = f"请选择{where}的财政部门（第十二条：同级）。"
    if errors:
        raise ValidationError(errors)
    plan = AnnualPlan(
        year=year,
        level=level,
        district=district,
        title=title,
        authority=authority,
        development_reform=development_reform,
        finance=finance,
        adopted_on=adopted_on,
        notes=notes,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    timeline_record(obj=plan, actor=actor, action=PlanEvent.CREATED)
    return plan


@transaction.atomic
def annual_plan_item_add(
    *,
    plan: AnnualPlan,
    actor: User,
    title: str,
    agency,
    kind: str,
    budget: Decimal,
    filing: ProjectFiling | None = None,
) -> AnnualPlanItem:
    require(may_edit_annual_plan(actor, plan), PLAN_EDIT_REFUSED)
    _filing_check(plan, agency, filing)
    item = AnnualPlanItem(plan=plan, title=title, agency=agency, kind=kind, budget=budget, filing=filing)
    item.full_clean()
    item.save()
    timeline_record(obj=plan, actor=actor, action=PlanEvent.ITEM_ADDED, comment=title)
    return item


@transaction.atomic
def annual_plan_item_link(*, item: AnnualPlanItem, actor: User, filing: ProjectFiling | None, progress_note: str = ""):
    """Tie a plan item to its project filing so progress is read from the project (Art. 38 supervision)."""
    require(may_edit_annual_plan(actor, item.plan), PLAN_EDIT_REFUSED)
    _filing_check(item.plan, item.agency, filing)
    locked = AnnualPlanItem.objects.select_for_update().get(pk=item.pk)
    locked.filing = filing
    locked.progress_note = progress_note
    locked.save()
    timeline_record(obj=locked.plan, actor=actor, action=PlanEvent.ITEM_LINKED, comment=locked.title)
    return locked


@transaction.atomic
def annual_plan_item_remove(*, item: AnnualPlanItem, actor: User) -> None:
    """Take an item out of the plan (the plan's timeline keeps what it was)."""
    require(may_edit_annual_plan(actor, item.plan), PLAN_EDIT_REFUSED)
    locked = AnnualPlanItem.objects.select_for_update(of=("self",)).select_related("plan", "agency").get(pk=item.pk)
    timeline_record(
        obj=locked.plan,
        actor=actor,
        action=PlanEvent.ITEM_REMOVED,
        comment=locked.title,
        data={"item": str(locked.uuid), "agency": locked.agency.name, "budget": str(locked.budget)},
    )
    locked.delete()
