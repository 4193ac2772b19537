"""Inter-agency sharing (Art. 21): requests, their negotiation rounds, escalation, and grants."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.fsm import ConcurrentTransitionMixin
from portal.models import District, Level, Organization
from resources.models.catalog import CatalogResource, ResourceItem
from resources.rules import ShareMethod


class SharingStatus(models.TextChoices):
    AWAITING_PROVIDER = "awaiting_provider", _("待提供方答复")
    COUNTERED = "countered", _("提供方提出修改意见")
    REFUSED = "refused", _("提供方拒绝")
    ESCALATED = "escalated", _("已报请主管部门协调")
    GRANTED = "granted", _("已同意共享")
    DENIED = "denied", _("协调决定不予共享")
    WITHDRAWN = "withdrawn", _("已撤回")


R = SharingStatus
OPEN_SHARING_STATES = (R.AWAITING_PROVIDER, R.COUNTERED, R.REFUSED, R.ESCALATED)


class SharingRequest(ConcurrentTransitionMixin, models.Model):
    """An agency's request to use another agency's catalog resource; the current terms are on the row,
    every round (request, counter-proposal, answer, escalation, decision) is a ``SharingRound``."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    resource = models.ForeignKey(
        CatalogResource, verbose_name=_("信息资源"), on_delete=models.PROTECT, related_name="sharing_requests"
    )
    requester = models.ForeignKey(
        Organization, verbose_name=_("需求单位"), on_delete=models.PROTECT, related_name="sharing_requests_made"
    )
    provider = models.ForeignKey(
        Organization, verbose_name=_("提供单位"), on_delete=models.PROTECT, related_name="sharing_requests_received"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(ResourceItem, verbose_name=_("申请的信息项"), related_name="+")
    scope = models.TextField(_("共享范围"))
    purpose = models.TextField(_("用途"))
    method = models.CharField(_("共享方式"), max_length=20, choices=ShareMethod.choices)
    period_end = models.DateField(_("使用期限至"))
    status = FSMField(_("状态"), default=R.AWAITING_PROVIDER, choices=SharingStatus.choices, protected=True)
    # Art. 21 para. 2: a failed negotiation goes to the *same-level* authority: the requester's level.
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    reply_due_date = models.DateField(_("答复期限"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("报请协调时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("共享申请")
        verbose_name_plural = _("共享申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "status"], name="share_requester_status_idx"),
            models.Index(fields=["provider", "status"], name="share_provider_status_idx"),
            models.Index(fields=["status", "level", "district"], name="share_status_level_idx"),
            models.Index(fields=["-created_at", "-id"], name="share_created_idx"),
            models.Index(fields=["resource", "status"], name="share_resource_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requester}申请共享“{self.resource}”"

    @transition(field=status, source=R.AWAITING_PROVIDER, target=R.GRANTED)
    def agree(self):
        pass

    @transition(field=status, source=R.AWAITING_PROVIDER, target=R.COUNTERED)
    def counter(self):
        pass

    @transition(field=status, source=R.AWAITING_PROVIDER, target=R.REFUSED)
    def refuse(self):
        pass

    @transition(field=status, source=R.COUNTERED, target=R.GRANTED)
    def accept_counter(self):
        pass

    @transition(field=status, source=[R.COUNTERED, R.REFUSED], target=R.AWAITING_PROVIDER)
    def revise(self):
        pass

    # Escalation from awaiting_provider is allowed only once the reply deadline has passed (service checks).
    @transition(field=status, source=[R.AWAITING_PROVIDER, R.COUNTERED, R.REFUSED], target=R.ESCALATED)
    def escalate(self):
        pass

    @transition(field=status, source=R.ESCALATED, target=R.GRANTED)
    def decide_grant(self):
        pass

    @transition(field=status, source=R.ESCALATED, target=R.DENIED)
    def decide_deny(self):
        pass

    @transition(field=status, source=[R.AWAITING_PROVIDER, R.COUNTERED, R.REFUSED], target=R.WITHDRAWN)
    def withdraw(self):
        pass


class RoundParty(models.TextChoices):
    REQUESTER = "requester", _("需求单位")
    PROVIDER = "provider", _("提供单位")
    AUTHORITY = "authority", _("信息化主管部门")


# What each round's ``action`` code says on the page.
ROUND_ACTION_LABELS = {
    "request": _("提出申请"),
    "agree": _("同意共享"),
    "counter": _("提出修改意见"),
    "refuse": _("拒绝共享"),
    "accept": _("接受修改意见"),
    "revise": _("修改申请"),
    "escalate": _("报请主管部门协调"),
    "decide_grant": _("协调决定：共享"),
    "decide_deny": _("协调决定：不予共享"),
    "withdraw": _("撤回申请"),
}


class SharingRound(models.Model):
    """One step of the negotiation, kept as it was (append-only)."""

    request = models.ForeignKey(SharingRequest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("轮次"))
    party = models.CharField(_("提出方"), max_length=20, choices=RoundParty.choices)
    action = models.CharField(_("动作"), max_length=30)
    item_names = models.JSONField(_("信息项"), default=list, blank=True)
    scope = models.TextField(_("共享范围"), blank=True)
    purpose = models.TextField(_("用途"), blank=True)
    method = models.CharField(_("共享方式"), max_length=20, choices=ShareMethod.choices, blank=True)
    period_end = models.DateField(_("使用期限至"), null=True, blank=True)
    reason = models.TextField(_("理由或说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商记录")
        verbose_name_plural = _("协商记录")
        ordering = ["request_id", "number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="shareround_unique_number")]

    def __str__(self) -> str:
        return f"第{self.number}轮 {self.get_party_display()} {self.action}"

    @property
    def action_display(self) -> str:
        return str(ROUND_ACTION_LABELS.get(self.action, self.action))


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已到期")


class SharingGrant(models.Model):
    """The agreement in force: an object permission of the grantee organization on exactly these items.

    Selectors open a resource's granted items to the grantee's members through this row (SQL join on
    grantee + items + active + not past ``ends_on``): the organization, not a user or a Django group,
    is what receives the data, so the grant table is the direct-FK object-permission table."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(SharingRequest, on_delete=models.PROTECT, related_name="grant")
    resource = models.ForeignKey(CatalogResource, on_delete=models.PROTECT, related_name="grants")
    grantee = models.ForeignKey(Organization, verbose_name=_("被授权单位"), on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(ResourceItem, verbose_name=_("授权的信息项"), related_name="grants")
    purpose = models.TextField(_("用途"))
    method = models.CharField(_("共享方式"), max_length=20, choices=ShareMethod.choices)
    ends_on = models.DateField(_("授权截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE)
    by_decision = models.BooleanField(_("依协调决定"), default=False)
    revoke_reason = models.TextField(_("撤销理由"), blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("共享授权")
        verbose_name_plural = _("共享授权")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["grantee", "status", "ends_on"], name="grant_grantee_idx"),
            models.Index(fields=["ends_on"], name="grant_active_ends_idx", condition=Q(status="active")),
        ]

    def __str__(self) -> str:
        return f"{self.grantee} · {self.resource}"
