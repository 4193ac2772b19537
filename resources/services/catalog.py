"""Every write to a catalog resource: one function per transition (Arts. 17, 18).

Each checks the actor's role (403), locks the row, checks the state (409), moves it, writes the timeline,
and queues notifications through the outbox. Registering or changing items runs the duplicate check.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal.access import require
from portal.models import OrganizationKind, User
from portal.services import timeline_record
from portal.workflow import Refused, ensure_transition, lock
from resources.catalog_permissions import is_agency_member, may_edit_resource, may_publish
from resources.models import (
    EDITABLE_STATES,
    CatalogResource,
    JustificationStatus,
    ResourceCodeSequence,
    ResourceItem,
    ResourceStatus,
)
from resources.rules import DUPLICATE_JUSTIFICATION_MIN_LENGTH, stale_after
from resources.services.catalog_input import RESOURCE_FIELDS, resource_rules_check
from resources.services.common import agency_people, notify, officials_for
from resources.services.duplicates import (
    DuplicateCollection,
    DuplicateMatch,
    duplicate_matches,
    item_key,
    item_key_stats_add,
)
from resources.services.search import resource_index

S = ResourceStatus
LABELS = {
    "submit": "提交发布审核",
    "publish": "审核发布",
    "return": "退回修改",
    "retire": "撤销",
    "revise": "修订新版本",
}


def resource_link(resource: CatalogResource) -> str:
    return reverse("resources:resource-detail", args=[resource.uuid])


def _record(resource, actor, action, from_state="", comment="", data=None):
    timeline_record(
        obj=resource,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=resource.status,
        comment=comment,
        data=data,
    )


def _raise_rules(fields: dict, items: list[dict]) -> None:
    errors = resource_rules_check(fields, items)
    if errors:
        raise ValidationError(errors, code="invalid")


def duplicates_check(
    *, provider, items: list[dict], justification: str, exclude_ids=()
) -> tuple[list[DuplicateMatch], str]:
    """Arts. 17, 46(1): the matches, or ``DuplicateCollection`` (400) when there is no written justification."""
    matches = duplicate_matches(
        items=[(i["name"], i["data_type"]) for i in items], provider_id=provider.pk, exclude_ids=exclude_ids
    )
    justification = (justification or "").strip()
    if matches and len(justification) < DUPLICATE_JUSTIFICATION_MIN_LENGTH:
        raise DuplicateCollection(matches)
    return matches, justification if matches else ""


def _items_replace(resource: CatalogResource, items: list[dict]) -> list[ResourceItem]:
    ResourceItem.objects.filter(resource=resource).delete()
    rows = ResourceItem.objects.bulk_create(
        ResourceItem(
            resource=resource,
            position=index + 1,
            name=item["name"],
            data_type=item["data_type"],
            length=item.get("length"),
            description=item.get("description", ""),
            share_type=item["share_type"],
            open_attribute=item["open_attribute"],
            key=item_key(item["name"], item["data_type"]),
        )
        for index, item in enumerate(items)
    )
    resource.item_keys = sorted({row.key for row in rows})
    return rows


@transaction.atomic
def resource_create(
    *, actor: User, provider, fields: dict, items: list[dict], duplicate_justification: str = ""
) -> CatalogResource:
    """A new draft of ``provider``'s resource, duplicate-checked against other providers' published ones."""
    require(is_agency_member(actor, provider), "只有资源提供单位的经办人或负责人可以登记信息资源。")
    if provider.kind != OrganizationKind.AGENCY:
        raise ValidationError({"provider": "资源提供方必须是国家机关（第十七条）。"})
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此填写。"))
    _raise_rules(fields, items)
    matches, justification = duplicates_check(provider=provider, items=items, justification=duplicate_justification)
    resource = CatalogResource(
        provider=provider,
        created_by=actor,
        duplicate_justification=justification,
        duplicate_matches=[m.as_dict() for m in matches],
        has_duplicates=bool(matches),
        justification_status=JustificationStatus.PENDING if matches else "",
        **fields,
    )
    resource.stale_after = stale_after(resource.update_cycle, resource.last_updated_on)
    resource.full_clean(exclude=["status", "item_keys", "code"])
    resource.save()
    rows = _items_replace(resource, items)
    resource.save(update_fields=["item_keys"])
    resource_index(resource, [row.name for row in rows])
    _record(resource, actor, "resource_created", data={"duplicates": len(matches)})
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: CatalogResource,
    actor: User,
    fields: dict,
    items: list[dict] | None = None,
    duplicate_justification: str | None = None,
) -> CatalogResource:
    require(may_edit_resource(actor, resource), "只有资源提供单位可以修改信息资源。")
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此修改。"))
    locked = lock(CatalogResource, resource.pk)
    if locked.status not in EDITABLE_STATES:
        raise Refused(f"当前状态“{locked.get_status_display()}”不能修改；已发布的资源请“修订新版本”。")
    current_items = list(
        locked.items.values("name", "data_type", "length", "description", "share_type", "open_attribute")
    )
    new_items = items if items is not None else current_items
    merged = {name: getattr(locked, name) for name in RESOURCE_FIELDS} | fields
    _raise_rules(merged, new_items)
    justification = locked.duplicate_justification if duplicate_justification is None else duplicate_justification
    exclude = [locked.pk] + ([locked.revision_of_id] if locked.revision_of_id else [])
    matches, justification = duplicates_check(
        provider=locked.provider, items=new_items, justification=justification, exclude_ids=exclude
    )
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.duplicate_justification = justification
    locked.duplicate_matches = [m.as_dict() for m in matches]
    locked.has_duplicates = bool(matches)
    locked.justification_status = JustificationStatus.PENDING if matches else ""
    locked.stale_after = stale_after(locked.update_cycle, locked.last_updated_on)
    locked.full_clean(exclude=["status", "item_keys", "code"])
    if items is not None:
        rows = _items_replace(locked, items)
        changed.append("items")
        names = [row.name for row in rows]
    else:
        names = [i["name"] for i in current_items]
    locked.save()
    resource_index(locked, names)
    if changed:
        _record(locked, actor, "resource_updated", data={"changed": changed})
    return locked


@transaction.atomic
def resource_submit(*, resource: CatalogResource, actor: User) -> CatalogResource:
    require(may_edit_resource(actor, resource), "只有资源提供单位可以提交信息资源。")
    locked = lock(CatalogResource, resource.pk)
    ensure_transition(locked, "submit", LABELS["submit"])
    if not locked.items.exists():
        raise ValidationError({"items": "请至少填写一个信息项。"}, code="items-missing")
    before = locked.status
    locked.submit()
    locked.submitted_at = timezone.now()
    locked.save()
    _record(locked, actor, "resource_submitted", before)
    provider = locked.provider
    notify(
        recipients=officials_for(level=provider.level, district=provider.district),
        kind="resource_submitted",
        title=f"信息资源待发布审核：{locked.name}",
        body=f"{provider.name}提交了信息资源“{locked.name}”"
        + ("，存在可能的重复采集，已说明理由。" if locked.has_duplicates else "。"),
        subject=locked,
        link=resource_link(locked),
        actor=actor,
    )
    return locked


def _code_next(resource: CatalogResource) -> str:
    """资源代码 = 分类代码 / 提供方机构代码 - 顺序号 (atomic upsert per prefix)."""
    provider_code = resource.provider.uscc[8:17]
    prefix = f"{resource.classification.code}/{provider_code}"
    table = ResourceCodeSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last_number) VALUES (%s, 1) "  # noqa: S608 (meta name, values bound)
            f"ON CONFLICT (prefix) DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [prefix],
        )
        return f"{prefix}-{cursor.fetchone()[0]:05d}"


@transaction.atomic
def resource_publish(*, resource: CatalogResource, actor: User, comment: str = "") -> CatalogResource:
    """The authority checks and publishes; a new version supersedes the one it revises (Art. 17 para. 3)."""
    require(may_publish(actor, resource), "只有同级信息化主管部门可以审核发布信息资源。")
    locked = lock(CatalogResource, resource.pk)
    ensure_transition(locked, "publish", LABELS["publish"])
    before = locked.status
    if locked.revision_of_id:
        old = lock(CatalogResource, locked.revision_of_id)
        if old.status == S.PUBLISHED:
            old.supersede()
            old.save()
            item_key_stats_add(old, -1)
            _record(old, actor, "resource_superseded", S.PUBLISHED, data={"by": str(locked.uuid)})
        locked.code = old.code
    if not locked.code:
        locked.code = _code_next(locked)
    locked.publish()
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.published_on = timezone.localdate()
    if locked.last_updated_on is None:
        locked.last_updated_on = locked.published_on
        locked.stale_after = stale_after(locked.update_cycle, locked.last_updated_on)
    locked.save()
    item_key_stats_add(locked, +1)
    _record(locked, actor, "resource_published", before, comment=comment, data={"code": locked.code})
    notify(
        recipients=[locked.created_by_id, *agency_people(locked.provider)],
        kind="resource_decided",
        title=f"信息资源已发布：{locked.name}",
        body=f"资源代码 {locked.code}。{comment}",
        subject=locked,
        link=resource_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def resource_return(*, resource: CatalogResource, actor: User, reason: str) -> CatalogResource:
    require(may_publish(actor, resource), "只有同级信息化主管部门可以退回信息资源。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明退回理由。"})
    locked = lock(CatalogResource, resource.pk)
    ensure_transition(locked, "return_for_revision", LABELS["return"])
    before = locked.status
    locked.return_for_revision()
    locked.return_reason = reason.strip()
    locked.save()
    _record(locked, actor, "resource_returned", before, comment=reason)
    notify(
        recipients=[locked.created_by_id, *agency_people(locked.provider)],
        kind="resource_decided",
        title=f"信息资源退回修改：{locked.name}",
        body=reason,
        subject=locked,
        link=resource_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def resource_retire(*, resource: CatalogResource, actor: User, reason: str) -> CatalogResource:
    require(may_edit_resource(actor, resource) or may_publish(actor, resource), "只有资源提供单位或主管部门可以撤销。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明撤销理由。"})
    locked = lock(CatalogResource, resource.pk)
    ensure_transition(locked, "retire", LABELS["retire"])
    before = locked.status
    locked.retire()
    locked.save()
    if before == S.PUBLISHED:
        item_key_stats_add(locked, -1)
    _record(locked, actor, "resource_retired", before, comment=reason)
    return locked


@transaction.atomic
def resource_revise(*, resource: CatalogResource, actor: User) -> CatalogResource:
    """A new draft version of a published resource; the published one stays visible until it is replaced."""
    require(may_edit_resource(actor, resource), "只有资源提供单位可以修订信息资源。")
    locked = lock(CatalogResource, resource.pk)
    if locked.status != S.PUBLISHED:
        raise Refused("只有已发布的资源可以修订新版本。")
    if locked.revisions.filter(status__in=(S.DRAFT, S.SUBMITTED, S.RETURNED)).exists():
        raise Refused("该资源已有一个修订中的新版本，请继续编辑该版本。", code="revision-open")
    draft = CatalogResource(
        provider=locked.provider,
        created_by=actor,
        revision_of=locked,
        version=locked.version + 1,
        **{name: getattr(locked, name) for name in RESOURCE_FIELDS},
        is_secret=locked.is_secret,
        duplicate_justification=locked.duplicate_justification,
        stale_after=locked.stale_after,
    )
    draft.save()
    items = list(locked.items.values("name", "data_type", "length", "description", "share_type", "open_attribute"))
    rows = _items_replace(draft, items)
    draft.save(update_fields=["item_keys"])
    resource_index(draft, [row.name for row in rows])
    _record(draft, actor, "resource_revised", data={"revision_of": str(locked.uuid), "version": draft.version})
    return draft


@transaction.atomic
def resource_justification_review(
    *, resource: CatalogResource, actor: User, accepted: bool, comment: str = ""
) -> CatalogResource:
    """The authority accepts or rejects a duplicate collection's justification; a rejected one is an
    Art. 17 violation the enforcement app turns into a finding (sanction: Art. 46(1) 通报批评)."""
    require(may_publish(actor, resource), "只有同级信息化主管部门可以审核重复采集的理由。")
    locked = lock(CatalogResource, resource.pk)
    if not locked.has_duplicates or locked.status not in (S.SUBMITTED, S.PUBLISHED):
        raise Refused("只有已提交或已发布、且存在可能重复采集的资源需要审核理由。", code="no-duplicates")
    if not accepted and not comment.strip():
        raise ValidationError({"comment": "认定理由不成立时请写明意见。"}, code="comment-missing")
    before = locked.justification_status
    locked.justification_status = JustificationStatus.ACCEPTED if accepted else JustificationStatus.REJECTED
    locked.save(update_fields=["justification_status", "updated_at"])
    timeline_record(
        obj=locked,
        actor=actor,
        action="justification_accepted" if accepted else "justification_rejected",
        from_state=before,
        to_state=locked.justification_status,
        comment=comment,
    )
    notify(
        recipients=agency_people(locked.provider),
        kind="resource_decided",
        title=f"重复采集理由{'成立' if accepted else '不成立'}：{locked.name}",
        body=comment,
        subject=locked,
        link=resource_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def resource_record_update(*, resource: CatalogResource, actor: User, updated_on: date) -> CatalogResource:
    """The provider records an actual update of the data (Art. 17: 定期进行信息更新)."""
    require(may_edit_resource(actor, resource), "只有资源提供单位可以登记数据更新。")
    if updated_on > timezone.localdate():
        raise ValidationError({"updated_on": "更新日期不能晚于今天。"})
    locked = lock(CatalogResource, resource.pk)
    if locked.status != S.PUBLISHED:
        raise Refused("只有已发布的资源可以登记数据更新。")
    locked.last_updated_on = updated_on
    locked.stale_after = stale_after(locked.update_cycle, updated_on)
    locked.save(update_fields=["last_updated_on", "stale_after", "updated_at"])
    _record(locked, actor, "resource_data_updated", data={"updated_on": updated_on.isoformat()})
    return locked


def resources_remind_stale(*, today: date | None = None, limit: int = 5_000) -> int:
    """Tell each provider which of its published resources are past their update cycle (one notice per agency)."""
    today = today or timezone.localdate()
    stale = (
        CatalogResource.objects.filter(status=S.PUBLISHED, stale_after__lt=today)
        .order_by("stale_after")
        .values_list("provider_id", "name")[:limit]
    )
    by_provider: dict[int, list[str]] = {}
    for provider_id, name in stale:
        by_provider.setdefault(provider_id, []).append(name)
    from portal.models import Organization

    sent = 0
    with transaction.atomic():
        for provider in Organization.objects.filter(pk__in=by_provider):
            names = by_provider[provider.pk]
            sent += notify(
                recipients=agency_people(provider),
                kind="resource_stale",
                title=f"{len(names)}项信息资源未按更新周期更新",
                body="；".join(names[:20]) + ("……" if len(names) > 20 else "") + "。请更新数据并登记（第十七条）。",
                subject=provider,
                link=reverse("resources:stale-list"),
                actor=None,
            )
    return sent
