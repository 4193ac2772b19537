"""Permissioned reads of the core. Views and API never query user-scoped data directly."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from portal.access import organization_scope_q, scope_for
from portal.models import Attachment, Organization, OrganizationUserObjectPermission, TimelineEvent


def organizations_visible_to(user) -> QuerySet[Organization]:
    scope = scope_for(user)
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.select_related("parent")
    if scope.city_wide:
        return qs
    granted = OrganizationUserObjectPermission.objects.filter(
        user=user, permission__codename="view_organization"
    ).values("content_object_id")
    return qs.filter(organization_scope_q(user) | Q(pk__in=granted))


def organization_get_for(*, user, uuid) -> Organization:
    """The organization if the user may see it; 404 otherwise (outsiders learn nothing)."""
    try:
        return organizations_visible_to(user).get(uuid=uuid)
    except (Organization.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该单位。") from exc


def timeline_for(obj) -> QuerySet[TimelineEvent]:
    """Events of an object the caller has already been allowed to see."""
    content_type = ContentType.objects.get_for_model(obj)
    return TimelineEvent.objects.filter(content_type=content_type, object_id=obj.pk).select_related("actor")


def attachments_for(obj) -> QuerySet[Attachment]:
    content_type = ContentType.objects.get_for_model(obj)
    return Attachment.objects.filter(content_type=content_type, object_id=obj.pk).select_related("uploaded_by")
