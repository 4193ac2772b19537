"""Input shape only, with Chinese messages that say what to fix; the services decide the law."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.forms.common import BootstrapMixin
from portal.models import District, Membership, Organization, OrganizationKind, Role, User
from projects.models import (
    AcceptanceResult,
    ContractorRole,
    DomainApplication,
    FilingStatus,
    NetworkAccessApplication,
    ProjectFiling,
    Qualification,
)
from projects.rules import (
    CLASSIFIED_REFUSAL,
    SECURITY_LEVELS,
    FindingResult,
    ProjectKind,
    ReviewDimension,
)
from projects.services import FILING_STEPS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


STEP_FIELDS = {key: fields for key, _, fields in FILING_STEPS}
STEP_LABELS = [(key, label) for key, label, _ in FILING_STEPS] + [("documents", _("附件与提交"))]


class FilingStepForm(BootstrapMixin, forms.ModelForm):
    """One step of the filing form. Saving a draft needs only a title and kind; completeness is
    checked when the agency submits."""

    field_units = {"government_investment": _("万元"), "other_funding": _("万元")}

    class Meta:
        model = ProjectFiling
        fields = list(STEP_FIELDS["basic"])
        widgets = {"planned_security_level": forms.Select(choices=[("", _("请选择")), *SECURITY_LEVELS])}
        error_messages = {
            "title": {"required": _("请填写项目名称。")},
            "kind": {"required": _("请选择建设性质（新建、改建、扩建或运行维护）。")},
            "government_investment": {"invalid": _("请填写数字（单位：万元）。")},
            "other_funding": {"invalid": _("请填写数字（单位：万元）。")},
        }

    @classmethod
    def for_step(cls, step: str):
        fields = list(STEP_FIELDS[step])
        extra = {"is_classified": None} if step == "basic" else {}
        attrs = {
            "Meta": type("Meta", (cls.Meta,), {"fields": fields}),
        }
        if extra:
            attrs["is_classified"] = forms.BooleanField(
                label=_("本项目涉及国家秘密（第三十七条）"),
                required=False,
                help_text=_("涉密项目不在本门户办理。"),
            )
        return type(f"FilingStepForm_{step}", (cls,), attrs)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("government_investment", "other_funding"):
            if name in self.fields:
                self.fields[name].required = False
        if "previous_filing" in self.fields:
            # Only the agency's own earlier filings (never another agency's titles).
            own = [self.instance.agency_id] if self.instance.pk else [a.pk for a in agencies or ()]
            self.fields["previous_filing"].queryset = (
                ProjectFiling.objects.filter(agency_id__in=own)
                .exclude(pk=self.instance.pk)
                .exclude(status=FilingStatus.DRAFT)
                .order_by("-created_at")
            )
            self.fields["previous_filing"].empty_label = _("无")
        if "other_approving_department" in self.fields:
            self.fields["other_approving_department"].queryset = Organization.objects.filter(
                kind=OrganizationKind.DEPARTMENT, is_active=True
            ).order_by("level", "district", "name")
            self.fields["other_approving_department"].empty_label = _("按建设性质（发展改革或财政部门）")

    def clean_government_investment(self):
        return self.cleaned_data.get("government_investment") or Decimal("0")

    def clean_other_funding(self):
        return self.cleaned_data.get("other_funding") or Decimal("0")

    def clean_is_classified(self):
        if self.cleaned_data.get("is_classified"):
            raise forms.ValidationError(CLASSIFIED_REFUSAL)
        return False

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name in ("government_investment", "other_funding"):
            if name in data and data[name] is None:
                data[name] = Decimal("0")
        return data


class FilingQueueFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("关键词"), required=False, widget=forms.TextInput(attrs={"placeholder": _("项目名称或文号")})
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FilingStatus.choices])
    kind = forms.ChoiceField(label=_("建设性质"), required=False, choices=[("", _("全部")), *ProjectKind.choices])
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=[("", _("全部")), *District.choices])
    reviewer = forms.ChoiceField(label=_("审查人"), required=False)
    due = forms.ChoiceField(
        label=_("期限"), required=False, choices=[("", _("全部")), ("soon", _("7日内到期")), ("overdue", _("已超期"))]
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("-created", _("最新创建")),
            ("due", _("审查期限（近→远）")),
            ("title", _("项目名称")),
            ("investment", _("政府投资（多→少）")),
        ],
    )

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", _("全部")), *((str(u.uuid), str(u)) for u in reviewers)]


def reviewer_candidates(authority) -> list[User]:
    """Staff of the reviewing authority who may be assigned as reviewers."""
    if authority is None:
        return []
    roles = [Role.AUTHORITY_REVIEWER, Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL]
    ids = Membership.objects.filter(organization=authority, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username"))


class StartReviewForm(BootstrapMixin, forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("审查人员"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("可多选：只列出本审查部门的审查人员，建设单位的工作人员已回避。"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    self_review = forms.BooleanField(label=_("由本人审查"), required=False)
    comment = forms.CharField(label=_("受理说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = User.objects.filter(pk__in=[u.pk for u in candidates])

    def clean(self):
        data = super().clean()
        if not data.get("reviewers") and not data.get("self_review"):
            self.add_error("reviewers", _("请选择审查人员，或勾选“由本人审查”。"))
        return data


class SubmitForm(BootstrapMixin, forms.Form):
    pass


class ReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("退回理由和修改要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明退回理由和需要修改的内容。")},
    )


class ApproveForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveWithConditionsForm(BootstrapMixin, forms.Form):
    conditions = forms.CharField(
        label=_("通过条件"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明通过的条件（建设单位须落实的事项）。")},
    )
    opinion = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(
        label=_("不予通过的理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明不予通过的理由。")},
    )


class RecordApprovalForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(
        label=_("批复文号"), max_length=60, error_messages={"required": _("请填写审批部门的批复文号。")}
    )
    approval_date = forms.DateField(
        label=_("批复日期"),
        widget=DATE,
        error_messages={"required": _("请填写批复日期。"), "invalid": _("日期格式应为 年-月-日。")},
    )


class RequestAcceptanceForm(BootstrapMixin, forms.Form):
    planned_on = forms.DateField(
        label=_("验收日期"),
        widget=DATE,
        help_text=_("信息化主管部门将收到验收邀请（第十四条）。"),
        error_messages={"required": _("请填写验收日期。"), "invalid": _("日期格式应为 年-月-日。")},
    )
    place = forms.CharField(label=_("验收地点"), max_length=200, error_messages={"required": _("请填写验收地点。")})
    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecordAcceptanceForm(BootstrapMixin, forms.Form):
    result = forms.ChoiceField(label=_("验收结论"), choices=AcceptanceResult.choices)
    held_on = forms.DateField(
        label=_("验收日期"),
        widget=DATE,
        error_messages={"required": _("请填写验收日期。"), "invalid": _("日期格式应为 年-月-日。")},
    )
    participants = forms.CharField(
        label=_("参加单位和人员"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写参加验收的单位和人员。")},
    )
    authority_invited = forms.BooleanField(label=_("已邀请信息化主管部门参加（第十四条第二款）"), required=False)
    warranty_end = forms.DateField(
        label=_("保修期至（第十五条）"),
        required=False,
        widget=DATE,
        help_text=_("政府投资项目自验收合格之日起不少于两年。"),
        error_messages={"invalid": _("日期格式应为 年-月-日。")},
    )
    notes = forms.CharField(label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        """The result as the service takes it: ``passed`` (the page shows the two results by name)."""
        data = super().clean()
        if "result" in data:
            data["passed"] = data.pop("result") == AcceptanceResult.PASSED
        return data


class StartOperationForm(BootstrapMixin, forms.Form):
    started_on = forms.DateField(label=_("投入使用日期"), required=False, widget=DATE)


class AttendanceForm(BootstrapMixin, forms.Form):
    attended = forms.TypedChoiceField(
        label=_("本部门是否派员出席验收"),
        choices=[("yes", _("已出席")), ("no", _("未出席"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否出席。")},
    )


ACTION_FORMS = {
    "submit": SubmitForm,
    "start_review": StartReviewForm,
    "return": ReturnForm,
    "approve": ApproveForm,
    "approve_with_conditions": ApproveWithConditionsForm,
    "reject": RejectForm,
    "record_approval": RecordApprovalForm,
    "request_acceptance": RequestAcceptanceForm,
    "record_acceptance": RecordAcceptanceForm,
    "start_operation": StartOperationForm,
}


class ChecklistForm(BootstrapMixin, forms.Form):
    """The six Art. 13 dimensions: a result and a comment each."""

    def __init__(self, *args, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = {item["dimension"]: item["finding"] for item in checklist}
        self.earlier = {item["dimension"]: item.get("earlier", []) for item in checklist}
        for value, label in ReviewDimension.choices:
            finding = current.get(value)
            self.fields[f"result_{value}"] = forms.ChoiceField(
                label=label,
                choices=FindingResult.choices,
                widget=forms.RadioSelect,
                initial=finding.result if finding else None,
                error_messages={"required": _("请为“%(label)s”选择结论。") % {"label": label}},
            )
            self.fields[f"text_{value}"] = forms.CharField(
                label=_("%(label)s意见") % {"label": label},
                required=False,
                initial=finding.text if finding else "",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("结论为“存在问题”或“不符合”时必填")}),
            )

    def rows(self):
        for value, label in ReviewDimension.choices:
            yield {
                "label": label,
                "value": value,
                "result": self[f"result_{value}"],
                "text": self[f"text_{value}"],
                "earlier": self.earlier.get(value, []),
            }

    def findings(self) -> dict:
        return {
            value: (self.cleaned_data[f"result_{value}"], self.cleaned_data[f"text_{value}"])
            for value in ReviewDimension.values
        }


class ContractorAssignForm(BootstrapMixin, forms.Form):
    contractor = forms.ModelChoiceField(
        label=_("承建单位"),
        queryset=Organization.objects.filter(kind=OrganizationKind.CONTRACTOR, is_active=True).order_by("name"),
        empty_label=_("请选择承建单位"),
        error_messages={"required": _("请选择承建单位。")},
    )
    role = forms.ChoiceField(label=_("角色"), choices=ContractorRole.choices)
    signed_on = forms.DateField(
        label=_("合同签订日期"),
        required=False,
        widget=DATE,
        help_text=_("已签订承建合同的填写（登记承揽）；只选定承建单位的留空。"),
        error_messages={"invalid": _("日期格式应为 年-月-日。")},
    )


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("请填写意见内容。")}
    )


class QualificationForm(BootstrapMixin, forms.ModelForm):
    certificate = forms.FileField(label=_("证书扫描件"), required=False, help_text=_("PDF 或图片。"))

    class Meta:
        model = Qualification
        fields = ["contractor", "domain", "level", "number", "issuer", "valid_from", "valid_to"]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, contractors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contractor"].queryset = contractors if contractors is not None else Organization.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("有效期截止日不得早于起始日。"))
        return data


class DecisionForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClassifiedMixin(forms.Form):
    """Art. 37: what involves state secrets is refused here, for every kind of record."""

    is_classified = forms.BooleanField(
        label=_("涉及国家秘密（第三十七条）"), required=False, help_text=_("涉密事项不在本门户办理。")
    )

    def clean_is_classified(self):
        if self.cleaned_data.get("is_classified"):
            raise forms.ValidationError(CLASSIFIED_REFUSAL)
        return False


class AgencyChoiceMixin(forms.Form):
    """A user acting for several agencies says for which one (no silent first-alphabetical choice)."""

    agency = forms.ModelChoiceField(
        label=_("以哪个机关的名义办理"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("请选择机关"),
    )

    def set_agencies(self, agencies) -> None:
        agencies = list(agencies)
        if len(agencies) > 1:
            self.fields["agency"].queryset = Organization.objects.filter(pk__in=[a.pk for a in agencies]).order_by(
                "name"
            )
            self.fields["agency"].required = True
            self.fields["agency"].error_messages["required"] = _(
                "您同时为多个机关办理业务，请选择以哪个机关的名义办理。"
            )
        else:
            del self.fields["agency"]

    def chosen_agency(self, agencies):
        agencies = list(agencies)
        return self.cleaned_data.get("agency") if len(agencies) > 1 else (agencies[0] if agencies else None)


class NetworkApplicationForm(AgencyChoiceMixin, ClassifiedMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = NetworkAccessApplication
        fields = ["system_name", "purpose", "internet_unsuitable_reason", "security_level", "bandwidth_mbps"]
        widgets = {"security_level": forms.Select(choices=[("", _("请选择")), *SECURITY_LEVELS])}


class DomainApplicationForm(AgencyChoiceMixin, ClassifiedMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DomainApplication
        fields = ["domain_name", "website_name", "purpose", "links_to_city_portal"]


class PrivateNetworkForm(ClassifiedMixin, BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("使用单位"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("专网名称"), max_length=200)
    description = forms.CharField(label=_("网络概况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    built_year = forms.IntegerField(label=_("建成年份"), required=False, min_value=1990, max_value=2100)
    migration_plan = forms.CharField(label=_("迁移方案"), widget=forms.Textarea(attrs={"rows": 3}))
    migration_deadline = forms.DateField(label=_("迁移期限"), widget=DATE)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Organization.objects.none()


class CompleteMigrationForm(BootstrapMixin, forms.Form):
    access_application = forms.ModelChoiceField(
        label=_("依据的接入申请（第二十九条）"),
        queryset=NetworkAccessApplication.objects.none(),
        to_field_name="uuid",
        empty_label=_("请选择已获同意的接入申请"),
        error_messages={"required": _("接入电子政务网络须经批准：请选择已获同意的接入申请。")},
    )
    migrated_on = forms.DateField(label=_("完成迁移（接入）日期"), required=False, widget=DATE)

    def __init__(self, *args, network=None, applications=None, **kwargs):
        """``applications``: the agency's approved applications, read for a whole page at once (no query per
        row); without them the field validates against the network's agency."""
        super().__init__(*args, **kwargs)
        field = self.fields["access_application"]
        if network is not None:
            field.queryset = NetworkAccessApplication.objects.filter(
                agency_id=network.agency_id, status="approved"
            ).order_by("-decided_at")
        if applications is not None:
            field.choices = [("", field.empty_label), *((str(a.uuid), str(a)) for a in applications)]


class ConnectForm(BootstrapMixin, forms.Form):
    connected_on = forms.DateField(
        label=_("实际接入日期"),
        widget=DATE,
        error_messages={"required": _("请填写接入日期。"), "invalid": _("日期格式应为 年-月-日。")},
    )


class AnnualPlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2007, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=200)
    scope = forms.ModelChoiceField(label=_("信息化主管部门"), queryset=Organization.objects.none())
    development_reform = forms.ModelChoiceField(label=_("发展改革部门"), queryset=Organization.objects.none())
    finance = forms.ModelChoiceField(label=_("财政部门"), queryset=Organization.objects.none())
    adopted_on = forms.DateField(label=_("制定日期"), required=False, widget=DATE)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, authorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = authorities if authorities is not None else Organization.objects.none()
        departments = Organization.objects.filter(kind=OrganizationKind.DEPARTMENT)
        self.fields["development_reform"].queryset = departments.filter(department_type="development_reform")
        self.fields["finance"].queryset = departments.filter(department_type="finance")


class PlanItemForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    agency = forms.ModelChoiceField(
        label=_("建设单位"), queryset=Organization.objects.filter(Q(kind=OrganizationKind.AGENCY)).order_by("name")
    )
    kind = forms.ChoiceField(label=_("建设性质"), choices=ProjectKind.choices)
    budget = forms.DecimalField(label=_("计划投资（万元）"), min_value=0, max_digits=14, decimal_places=2)
