"""Core data shared by every chapter: accounts, organizations, memberships, timeline, attachments."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from portal.uscc import validate_uscc


class User(AbstractUser):
    """The portal's account. Custom from the first migration so it can grow without surgery."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class District(models.TextChoices):
    """Beijing's 16 districts (行政区划代码)."""

    DONGCHENG = "110101", _("东城区")
    XICHENG = "110102", _("西城区")
    CHAOYANG = "110105", _("朝阳区")
    FENGTAI = "110106", _("丰台区")
    SHIJINGSHAN = "110107", _("石景山区")
    HAIDIAN = "110108", _("海淀区")
    MENTOUGOU = "110109", _("门头沟区")
    FANGSHAN = "110111", _("房山区")
    TONGZHOU = "110112", _("通州区")
    SHUNYI = "110113", _("顺义区")
    CHANGPING = "110114", _("昌平区")
    DAXING = "110115", _("大兴区")
    HUAIROU = "110116", _("怀柔区")
    PINGGU = "110117", _("平谷区")
    MIYUN = "110118", _("密云区")
    YANQING = "110119", _("延庆区")


class Level(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class OrganizationKind(models.TextChoices):
    AUTHORITY = "authority", _("信息化主管部门")
    DEPARTMENT = "department", _("政府有关部门")
    AGENCY = "agency", _("国家机关")
    PUBLIC_ENTERPRISE = "public_enterprise", _("公共服务企业")
    CONTRACTOR = "contractor", _("信息化工程承建单位")
    EVALUATOR = "evaluator", _("测评机构")
    CREDIT_AGENCY = "credit_agency", _("信用服务机构")


class DepartmentType(models.TextChoices):
    """Departments named by Art. 5 whose remit touches informatization."""

    DEVELOPMENT_REFORM = "development_reform", _("发展改革")
    FINANCE = "finance", _("财政")
    SCIENCE = "science", _("科技")
    COMMUNICATIONS = "communications", _("通信管理")
    MARKET_REGULATION = "market_regulation", _("质量技术监督")
    COMMERCE = "commerce", _("工商")
    PUBLIC_SECURITY = "public_security", _("公安")
    SECRECY = "secrecy", _("保密")
    AUDIT = "audit", _("审计")
    OTHER = "other", _("其他")


class Sector(models.TextChoices):
    """Public service sectors of Art. 20."""

    WATER = "water", _("供水")
    POWER = "power", _("供电")
    GAS = "gas", _("供气")
    HEATING = "heating", _("供热")
    TRANSPORT = "transport", _("公共交通")
    TELECOM = "telecom", _("通信")
    POSTAL = "postal", _("邮政")
    MEDICAL = "medical", _("医疗")
    EDUCATION = "education", _("教育")
    OTHER = "other", _("其他")


class Organization(models.Model):
    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=30, choices=OrganizationKind.choices)
    department_type = models.CharField(
        _("部门类别"),
        max_length=30,
        choices=DepartmentType.choices,
        blank=True,
        help_text=_("仅政府有关部门填写（第五条）。"),
    )
    sector = models.CharField(
        _("行业"),
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text=_("仅公共服务企业填写（第二十条）。"),
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(
        _("所在区"),
        max_length=6,
        choices=District.choices,
        blank=True,
        help_text=_("区级单位必填。"),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18位，GB 32100-2015，末位为校验位。"),
    )
    # Art. 40: each agency names the leader in charge (主管负责人) and the internal unit (内部机构) responsible
    # for planning, coordinating and managing its e-government work (not information security: see Chapter 5).
    responsible_leader = models.CharField(_("电子政务主管负责人（第四十条）"), max_length=60)
    responsible_unit = models.CharField(_("电子政务管理内部机构（第四十条）"), max_length=120)
    # The issuing authority's own 机关代字: document numbers are this code, the kind of document and the
    # year (京经信审〔2026〕1号). Entered, never derived from the (translatable) name or district.
    document_code = models.CharField(
        _("发文机关代字"),
        max_length=12,
        blank=True,
        help_text=_("仅信息化主管部门填写，用于编制文号，如“京经信”（审查意见文号：京经信审〔2026〕1号）。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["level", "district", "name"]
        indexes = [
            models.Index(fields=["kind", "level", "name"], name="org_kind_level_name_idx"),
            models.Index(fields=["district", "name"], name="org_district_name_idx"),
            # The directory's order (page and API): a city-wide reader's first page reads 50 entries of it
            # instead of sorting all 2,000 organizations by name (3 ms at city scale).
            models.Index(fields=["level", "district", "name", "id"], name="org_directory_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="city") | ~models.Q(district=""),
                name="org_district_required_for_district_level",
                violation_error_message=_("区级单位必须选择所在区。"),
            ),
            # Two issuers with one code would issue the same document number twice.
            models.UniqueConstraint(
                fields=["document_code"],
                condition=~models.Q(document_code=""),
                name="org_unique_document_code",
                violation_error_message=_("该发文机关代字已被其他单位使用。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.document_code and self.kind != OrganizationKind.AUTHORITY:
            raise ValidationError({"document_code": _("只有信息化主管部门需要填写发文机关代字。")})


class Role(models.TextChoices):
    """Roles are Django groups of the same name (see the data migration that creates them)."""

    AUTHORITY_OFFICIAL = "authority_official", _("主管部门工作人员")
    AUTHORITY_REVIEWER = "authority_reviewer", _("主管部门审查人员")
    DISTRICT_OFFICIAL = "district_official", _("区主管部门工作人员")
    AGENCY_CLERK = "agency_clerk", _("机关经办人")
    AGENCY_MANAGER = "agency_manager", _("机关负责人")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法人员")
    DEPARTMENT_LIAISON = "department_liaison", _("部门联络员")
    PUBLIC_ENTERPRISE_CLERK = "public_enterprise_clerk", _("公共企业经办人")
    CONTRACTOR_CLERK = "contractor_clerk", _("承建单位经办人")


class Membership(models.Model):
    """A user's role in one organization. A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    def clean(self):
        super().clean()
        if self.organization_id is None or not self.role:
            return
        problem = role_organization_problem(self.role, self.organization)
        if problem:
            raise ValidationError({"role": problem})


# Which kinds of organization each role can be held in (and, for district officials, which level). A role
# outside its kind would open the wrong doors: a "reviewer" of an agency, a district official of the city.
ROLE_ORGANIZATION_KINDS: dict[str, frozenset[str]] = {
    Role.AUTHORITY_OFFICIAL: frozenset({OrganizationKind.AUTHORITY}),
    Role.AUTHORITY_REVIEWER: frozenset({OrganizationKind.AUTHORITY}),
    Role.DISTRICT_OFFICIAL: frozenset({OrganizationKind.AUTHORITY}),
    Role.ENFORCEMENT_OFFICER: frozenset({OrganizationKind.AUTHORITY}),
    # Government departments are state organs too: they keep catalogs and answer disclosure applications.
    Role.AGENCY_CLERK: frozenset({OrganizationKind.AGENCY, OrganizationKind.DEPARTMENT}),
    Role.AGENCY_MANAGER: frozenset({OrganizationKind.AGENCY, OrganizationKind.DEPARTMENT}),
    Role.DEPARTMENT_LIAISON: frozenset({OrganizationKind.DEPARTMENT}),
    Role.PUBLIC_ENTERPRISE_CLERK: frozenset({OrganizationKind.PUBLIC_ENTERPRISE}),
    Role.CONTRACTOR_CLERK: frozenset({OrganizationKind.CONTRACTOR}),
}


def role_organization_problem(role: str, organization: "Organization") -> str:
    """Why ``role`` cannot be held in ``organization`` (empty when it can)."""
    kinds = ROLE_ORGANIZATION_KINDS.get(role)
    if kinds is None:
        return str(_("未知角色。"))
    if organization.kind not in kinds:
        allowed = "、".join(str(OrganizationKind(kind).label) for kind in sorted(kinds))
        return str(
            _("“%(role)s”只能在%(kinds)s任职，%(org)s是%(kind)s。")
            % {
                "role": Role(role).label,
                "kinds": allowed,
                "org": organization.name,
                "kind": organization.get_kind_display(),
            }
        )
    if role == Role.DISTRICT_OFFICIAL and organization.level != Level.DISTRICT:
        return str(_("“区主管部门工作人员”只能在区级信息化主管部门任职；市级主管部门请选择“主管部门工作人员”。"))
    return ""


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grant (delegated access to one organization)."""

    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class TimelineEvent(models.Model):
    """Append-only record of what happened to an object. A database trigger refuses UPDATE and DELETE."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=60)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=False)

    class Meta:
        verbose_name = _("时间线事件")
        verbose_name_plural = _("时间线事件")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="timeline_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under the content hash: names from users never become paths.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{instance.uuid}"


class Attachment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    mime_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "uploaded_at"], name="attachment_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name
