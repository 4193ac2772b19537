"""Reads of annual plans (Art. 12): public planning documents, readable by every signed-in user."""

from django.db.models import (
    Count,
    QuerySet,
)
from django.http import Http404

from projects.models import (
    AnnualPlan,
    AnnualPlanItem,
)

# --- Annual plans (Art. 12): public planning documents, readable by every signed-in user.


def annual_plans_visible_to(user) -> QuerySet[AnnualPlan]:
    if not user.is_authenticated:
        return AnnualPlan.objects.none()
    return AnnualPlan.objects.select_related("authority", "development_reform", "finance").annotate(
        item_count=Count("items")
    )


def annual_plan_get_for(*, user, uuid) -> AnnualPlan:
    try:
        return annual_plans_visible_to(user).get(uuid=uuid)
    except (AnnualPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该年度计划。") from exc


def annual_plan_item_get_for(*, user, uuid) -> AnnualPlanItem:
    try:
        return (
            AnnualPlanItem.objects.select_related("plan", "agency", "filing")
            .filter(plan__in=annual_plans_visible_to(user).values("pk"))
            .get(uuid=uuid)
        )
    except (AnnualPlanItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该计划项目。") from exc


def annual_plan_items(plan: AnnualPlan) -> QuerySet[AnnualPlanItem]:
    return AnnualPlanItem.objects.filter(plan=plan).select_related("plan", "agency", "filing").order_by("id")
