"""The government information resource catalog (Art. 17), its code table and base databases (Art. 18).

Duplicate-collection signatures: every information item has an integer ``key`` (a hash of its normalized
name and data type); a resource keeps the array of its item keys (``item_keys``, GIN-indexed) and
``ItemKeyStat`` counts how many published resources hold each key. The duplicate check (see
``resources/services/duplicates.py``) looks for candidates only through *rare* keys and scores them with
all keys, so its cost follows the rare keys' short posting lists, not the millions of 姓名 items.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from portal.fsm import ConcurrentTransitionMixin
from portal.models import Organization
from resources.rules import (
    ClassificationLevel,
    DataType,
    OpenAttribute,
    ResourceFormat,
    ShareMethod,
    ShareType,
    UpdateCycle,
)


class Classification(models.Model):
    """One row of the catalog's code table: 类 / 项 / 目 / 细目."""

    code = models.CharField(_("分类代码"), max_length=20, unique=True)
    name = models.CharField(_("分类名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=ClassificationLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("资源分类")
        verbose_name_plural = _("资源分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BaseDatabase(models.Model):
    """A base database of Art. 18 (the list is data: population, legal persons, …)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    builder = models.ForeignKey(
        Organization, verbose_name=_("建设单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("基础数据库")
        verbose_name_plural = _("基础数据库")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class JustificationStatus(models.TextChoices):
    """The authority's view of a duplicate collection's justification (Arts. 17, 46(1))."""

    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("理由成立")
    REJECTED = "rejected", _("理由不成立")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待发布审核")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本替代")
    RETIRED = "retired", _("已撤销")


S = ResourceStatus
EDITABLE_STATES = (S.DRAFT, S.RETURNED)


class CatalogResource(ConcurrentTransitionMixin, models.Model):
    """A government information resource as registered in the catalog (编制指南 metadata)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("资源代码"), max_length=60, blank=True, help_text=_("发布时按分类代码、提供方代码和顺序号生成。")
    )
    # No single-column index on these three keys: the (key, status) indexes below lead with them and serve
    # the same lookups, and every index is one more insert per resource of a 10,000-row bulk import.
    classification = models.ForeignKey(
        Classification, verbose_name=_("资源分类"), on_delete=models.PROTECT, db_index=False
    )
    provider = models.ForeignKey(
        Organization,
        verbose_name=_("资源提供方"),
        on_delete=models.PROTECT,
        related_name="catalog_resources",
        db_index=False,
    )
    name = models.CharField(_("资源名称"), max_length=200)
    summary = models.TextField(_("资源摘要"))
    format = models.CharField(_("资源格式"), max_length=20, choices=ResourceFormat.choices)
    collection_basis = models.TextField(
        _("采集依据"), help_text=_("采集该信息的法律、法规、规章或职责依据（第十七条）。")
    )
    share_type = models.CharField(_("共享类型"), max_length=20, choices=ShareType.choices)
    share_condition = models.TextField(_("共享条件"), blank=True)
    share_basis = models.TextField(_("不予共享或有条件共享的依据"), blank=True)
    share_method = models.CharField(_("共享方式"), max_length=20, choices=ShareMethod.choices)
    open_attribute = models.CharField(_("开放属性"), max_length=20, choices=OpenAttribute.choices)
    update_cycle = models.CharField(_("更新周期"), max_length=20, choices=UpdateCycle.choices)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    last_updated_on = models.DateField(_("最近一次实际更新"), null=True, blank=True)
    # Mirrors rules.stale_after(update_cycle, last_updated_on) so the stale list is one indexed range.
    stale_after = models.DateField(_("过期判定日"), null=True, blank=True)
    base_database = models.ForeignKey(
        BaseDatabase,
        verbose_name=_("所属基础数据库（第十八条）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
        db_index=False,  # res_basedb_status_idx leads with it
    )
    is_secret = models.BooleanField(_("涉及国家秘密"), default=False)
    related = models.ManyToManyField("self", verbose_name=_("关联资源"), blank=True, symmetrical=False)
    status = FSMField(_("状态"), default=S.DRAFT, choices=ResourceStatus.choices, protected=True)
    # A new version of a published resource is a separate row reviewed again; the published one stays
    # visible until the new one is published and supersedes it.
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("修订的资源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        db_index=False,  # res_revision_of_idx, without the NULLs
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    duplicate_justification = models.TextField(_("重复采集的理由"), blank=True)
    # The matches the duplicate check found when the resource was last saved (shown to the authority).
    duplicate_matches = models.JSONField(_("可能重复的资源"), default=list, blank=True)
    has_duplicates = models.BooleanField(_("存在可能的重复采集"), default=False)
    justification_status = models.CharField(
        _("重复采集理由审核"), max_length=10, choices=JustificationStatus.choices, blank=True, default=""
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    item_keys = ArrayField(models.IntegerField(), verbose_name=_("信息项签名"), default=list, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # res_published_by_idx, without the NULLs
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_vector", "item_keys", "updated_at"])

    class Meta:
        verbose_name = _("政务信息资源")
        verbose_name_plural = _("政务信息资源")
        ordering = ["-published_at", "-id"]
        indexes = [
            # Each lexeme is there twice, plain and with the resource's id bucket (resources/services/search.py):
            # a search reads the newest buckets' short posting lists first.
            GinIndex(fields=["search_vector"], name="res_search_gin"),
            GinIndex(fields=["item_keys"], name="res_item_keys_gin", condition=Q(status="published")),
            models.Index(fields=["provider", "status"], name="res_provider_status_idx"),
            models.Index(fields=["status", "-published_at", "-id"], name="res_status_published_idx"),
            models.Index(fields=["classification", "status"], name="res_class_status_idx"),
            models.Index(fields=["share_type", "status"], name="res_share_status_idx"),
            models.Index(fields=["open_attribute", "status"], name="res_open_status_idx"),
            models.Index(fields=["update_cycle", "status"], name="res_cycle_status_idx"),
            # Partial on the keys that are set: a draft (every row of a bulk import) has neither a base database,
            # a publisher nor an earlier version, and an index entry for its NULL is written and never read.
            models.Index(
                fields=["base_database", "status"],
                name="res_basedb_status_idx",
                condition=Q(base_database__isnull=False),
            ),
            models.Index(fields=["revision_of"], name="res_revision_of_idx", condition=Q(revision_of__isnull=False)),
            models.Index(fields=["published_by"], name="res_published_by_idx", condition=Q(published_by__isnull=False)),
            models.Index(fields=["stale_after"], name="res_stale_idx", condition=Q(status="published")),
            models.Index(fields=["-created_at", "-id"], name="res_created_idx"),
            # The catalog's default order without a search term (resources/selectors/search.py): newest
            # published first, drafts last; the first page then reads 20 index entries (issue 15).
            models.Index(
                models.F("published_at").desc(nulls_last=True), models.F("id").desc(), name="res_published_order_idx"
            ),
            models.Index(
                fields=["status", "-submitted_at"], name="res_duplicates_idx", condition=Q(has_duplicates=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(status="published"), name="res_unique_published_code"),
            models.CheckConstraint(
                condition=Q(share_type="unconditional") | ~Q(share_basis=""),
                name="res_basis_required_unless_unconditional",
                violation_error_message="有条件共享或不予共享的资源必须写明依据。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Transitions: each is called only from its service in resources/services/catalog.py.
    @transition(field=status, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=S.SUBMITTED, target=S.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=S.SUBMITTED, target=S.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=status, source=S.PUBLISHED, target=S.SUPERSEDED)
    def supersede(self):
        pass

    @transition(field=status, source=[S.PUBLISHED, S.DRAFT, S.RETURNED], target=S.RETIRED)
    def retire(self):
        pass


class ResourceItem(models.Model):
    """One information item (信息项) of a resource."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by resitem_unique_position (resource, position), which leads with it: a second index on the
    # 10,000,000-row table only cost every insert.
    resource = models.ForeignKey(CatalogResource, on_delete=models.CASCADE, related_name="items", db_index=False)
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("信息项名称"), max_length=100)
    data_type = models.CharField(_("数据类型"), max_length=2, choices=DataType.choices)
    length = models.PositiveIntegerField(_("数据长度"), null=True, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    share_type = models.CharField(_("共享类型"), max_length=20, choices=ShareType.choices)
    open_attribute = models.CharField(_("开放属性"), max_length=20, choices=OpenAttribute.choices)
    key = models.IntegerField(_("签名"), help_text=_("规范化名称与数据类型的散列，用于重复采集比对。"))

    class Meta:
        verbose_name = _("信息项")
        verbose_name_plural = _("信息项")
        ordering = ["resource_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "position"], name="resitem_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name


class ItemKeyStat(models.Model):
    """How many published resources hold an item key: its rarity for the duplicate check."""

    key = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    data_type = models.CharField(max_length=2)
    resources = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("信息项签名统计")
        verbose_name_plural = _("信息项签名统计")

    def __str__(self) -> str:
        return f"{self.name}（{self.resources}）"


class ResourceCodeSequence(models.Model):
    """Last sequence number per (classification code, provider code), allocated by an atomic upsert."""

    prefix = models.CharField(max_length=60, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("资源代码序列")
        verbose_name_plural = _("资源代码序列")

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last_number}"
