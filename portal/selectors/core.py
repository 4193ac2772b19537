"""Permissioned reads of the core. Views and API never query user-scoped data directly."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from portal.access import organization_scope_q, scope_for
from portal.models import (
    Attachment,
    Membership,
    Organization,
    OrganizationGroupObjectPermission,
    OrganizationUserObjectPermission,
    TimelineEvent,
    User,
)


def organizations_visible_to(user) -> QuerySet[Organization]:
    scope = scope_for(user)
    if not user.is_authenticated:
        return Organization.objects.none()
    qs = Organization.objects.select_related("parent")
    if scope.city_wide:
        return qs
    # django-guardian grants (to the user or to one of their groups) open single organizations.
    granted_to_user = OrganizationUserObjectPermission.objects.filter(
        user=user, permission__codename="view_organization"
    ).values("content_object_id")
    granted_to_group = OrganizationGroupObjectPermission.objects.filter(
        group__user=user, permission__codename="view_organization"
    ).values("content_object_id")
    return qs.filter(organization_scope_q(user) | Q(pk__in=granted_to_user) | Q(pk__in=granted_to_group))


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


# Which models may carry attachments, and how to tell who may see them: model label -> visible_to(user).
# Each app registers its own subjects (in AppConfig.ready()) so downloads stay scoped in SQL.
_ATTACHMENT_SUBJECTS: dict[str, Callable[..., QuerySet]] = {}


def attachment_subject_register(model: type[models.Model], visible_to: Callable[..., QuerySet]) -> None:
    _ATTACHMENT_SUBJECTS[model._meta.label_lower] = visible_to


attachment_subject_register(Organization, organizations_visible_to)


def attachment_get_for(*, user, uuid) -> Attachment:
    """The attachment if the user may see its subject; 404 otherwise (also for unregistered subjects)."""
    attachment = Attachment.objects.select_related("content_type").filter(uuid=uuid).first()
    if attachment is None:
        raise Http404("未找到该附件。")
    visible_to = _ATTACHMENT_SUBJECTS.get(f"{attachment.content_type.app_label}.{attachment.content_type.model}")
    if visible_to is None or not visible_to(user).filter(pk=attachment.object_id).exists():
        raise Http404("未找到该附件。")
    return attachment


def members_with_roles(organization, *roles) -> list:
    """Active users holding one of ``roles`` in ``organization`` (one query): whom a chapter notifies."""
    if organization is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(organization=organization, role__in=roles).values("user_id"),
        ).order_by("pk")
    )
