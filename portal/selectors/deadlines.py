"""Permissioned reads of deadlines."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from portal.access import organization_scope_q
from portal.models import Deadline


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
    "organization__district",
)


def deadlines_visible_to(user) -> QuerySet[Deadline]:
    """Deadlines of organizations in the user's scope (own organization and units; district; city)."""
    if not user.is_authenticated:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(organization_scope_q(user, prefix="organization__"))
        .select_related("kind", "organization")
        .order_by("due_date", "id")
    )


def deadline_get_for(*, user, uuid) -> Deadline:
    try:
        return deadlines_visible_to(user).get(uuid=uuid)
    except (Deadline.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该期限。") from exc
