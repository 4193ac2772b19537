"""Writes of the core. Every write and every state change in the portal is a service function."""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from portal.access import can_change_organization, require
from portal.language import stored_text
from portal.models import Attachment, Membership, Organization, TimelineEvent, User, role_organization_problem
from portal.rules import ATTACHMENT_TYPES


def timeline_record(
    *,
    obj,
    actor: User | None,
    action: str,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=stored_text(comment),
        data=data or {},
    )


def user_create(*, username: str, password: str, full_name: str = "", email: str = "", **extra) -> User:
    user = User(username=username, full_name=full_name, email=email, **extra)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_create(*, user: User, organization: Organization, role: str) -> Membership:
    """Give a user a role in an organization; the role's group carries its model permissions.

    A role the organization's kind cannot carry (a reviewer in an agency, a district official in the city
    authority) is refused: the role would count wherever the scope looks for it."""
    problem = role_organization_problem(role, organization)
    if problem:
        raise ValidationError({"role": problem}, code="role-organization-mismatch")
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    user.groups.add(Group.objects.get(name=role))
    return membership


@transaction.atomic
def organization_create(*, actor: User | None, **fields) -> Organization:
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    timeline_record(obj=organization, actor=actor, action="organization_created")
    return organization


ORGANIZATION_EDITABLE_FIELDS = (
    "name",
    "document_code",
    "short_name",
    "address",
    "phone",
    "responsible_leader",
    "responsible_unit",
    "department_type",
    "sector",
)


@transaction.atomic
def organization_update(*, organization: Organization, actor: User, **changes) -> Organization:
    require(can_change_organization(actor, organization), "您无权修改该单位信息。")
    unknown = set(changes) - set(ORGANIZATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此修改。"))
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked._change_reason = "organization_update"
    locked.save()
    changed = {name: [before[name], value] for name, value in changes.items() if before[name] != value}
    if changed:
        timeline_record(obj=locked, actor=actor, action="organization_updated", data={"changed": changed})
    return locked


def _sniff_attachment(uploaded: UploadedFile) -> tuple[str, str]:
    """Return (extension, mime type) or raise a field error that says what is accepted."""
    extension = PurePath(uploaded.name or "").suffix.lower().lstrip(".")
    accepted = "、".join(sorted(ATTACHMENT_TYPES))
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError({"file": f"不支持的文件类型“.{extension or '无扩展名'}”。可上传：{accepted}。"})
    if uploaded.size == 0:
        raise ValidationError({"file": "文件为空，请重新选择。"})
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": f"文件过大（{filesizeformat(uploaded.size)}），"
                f"单个附件不得超过 {filesizeformat(settings.ATTACHMENT_MAX_BYTES)}。"
            }
        )
    mime, signatures = ATTACHMENT_TYPES[extension]
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError({"file": f"文件内容与扩展名“.{extension}”不符，可能已损坏或被改名，请上传原始文件。"})
    return extension, mime


@transaction.atomic
def attachment_create(*, obj, uploaded: UploadedFile, actor: User, description: str = "") -> Attachment:
    """Check and store one upload. A refused file raises ValidationError and leaves nothing behind."""
    _, mime = _sniff_attachment(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        original_name=PurePath(uploaded.name).name[:255],
        mime_type=mime,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=actor,
    )
    attachment.file.save(attachment.original_name, uploaded, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    timeline_record(
        obj=obj,
        actor=actor,
        action="attachment_added",
        data={"attachment": str(attachment.uuid), "name": attachment.original_name},
    )
    return attachment
