"""Permissioned reads of deadlines."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from portal.access import scope_for
from portal.models import Deadline
from portal.paginators import scope_to_organizations


def deadlines_for(subject) -> QuerySet[Deadline]:
    """Every deadline (any state) on an object the caller has already been allowed to see."""
    content_type = ContentType.objects.get_for_model(subject)
    return (
        Deadline.objects.filter(content_type=content_type, object_id=subject.pk)
        .select_related("kind", "organization")
        .order_by("due_date", "id")
    )


# What a deadline row shows (deadlines/list.html, the dashboard panels): the rows read these, not the
# deadline's ten timestamps and reminder bookkeeping.
DEADLINE_ROW_FIELDS = (
    "uuid",
    "title",
    "legal_basis",
    "due_date",
    "due_at",
    "state",
    "provisional",
    "paused_remaining",
    "kind__label",
    "organization__name",
    "district",
)


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    """Deadlines of organizations in the user's scope (own organization and units; district; city).

    A district official's are the district's (``Scope.sole_district``), read in due order through
    ``deadline_district_due_idx``. Other scopes are read per organization (``scope_to_organizations``): a
    page reads each organization's first deadlines through ``deadline_org_due_idx`` instead of walking every
    deadline of the city in due order."""
    if not user.is_authenticated:
        return Deadline.objects.none()
    deadlines = Deadline.objects.select_related("kind", "organization").order_by("due_date", "id")
    scope = scope_for(user)
    if scope.city_wide:
        return deadlines
    if scope.sole_district:
        return deadlines.filter(district=scope.sole_district)
    return scope_to_organizations(deadlines, "organization_id", scope.visible_organization_ids)


def deadline_get_for(*, user, uuid) -> Deadline:
    try:
        return deadlines_visible_to(user).get(uuid=uuid)
    except (Deadline.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该期限。") from exc
