"""Input shape of the Chapter 5 pages, with Chinese messages that say what to fix; services decide the law."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin
from portal.models import District
from security.models import (
    BulletinKind,
    GradingReason,
    GradingStatus,
    InformationSystem,
    IssueSeverity,
    SystemStatus,
)
from security.rules import Conclusion, HarmDegree, HarmObject, IncidentLevel, ReportVersion, SecurityLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ALL = [("", _("全部"))]


class SystemForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = InformationSystem
        fields = ["name", "builder", "purpose", "users_served", "network", "status", "project_filing"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, filings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_filing"].queryset = filings
        self.fields["project_filing"].required = False
        self.fields["project_filing"].help_text = _("由本单位信息化工程建设的系统，请选择对应的项目备案（第二章）。")


class SystemFilterForm(BootstrapMixin, forms.Form):
    small = True
    q = forms.CharField(label=_("系统名称"), required=False)
    level = forms.ChoiceField(label=_("等级"), required=False, choices=ALL + SecurityLevel.choices)
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=ALL + District.choices)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + SystemStatus.choices)
    filed = forms.ChoiceField(
        label=_("备案"), required=False, choices=[*ALL, ("yes", _("已备案")), ("no", _("第二级以上未备案"))]
    )
    evaluation = forms.ChoiceField(
        label=_("测评"),
        required=False,
        choices=[*ALL, ("overdue", _("已逾期")), ("soon", _("60日内到期")), ("never", _("第三级以上从未测评"))],
    )


class GradingForm(BootstrapMixin, forms.Form):
    """The wizard: two assessments on the GB/T 22240-2020 matrix; the level is computed, never typed."""

    business_harm_object = forms.ChoiceField(
        label=_("业务信息：受侵害的客体"), choices=HarmObject.choices, widget=forms.RadioSelect
    )
    business_harm_degree = forms.ChoiceField(
        label=_("业务信息：侵害程度"), choices=HarmDegree.choices, widget=forms.RadioSelect
    )
    service_harm_object = forms.ChoiceField(
        label=_("系统服务：受侵害的客体"), choices=HarmObject.choices, widget=forms.RadioSelect
    )
    service_harm_degree = forms.ChoiceField(
        label=_("系统服务：侵害程度"), choices=HarmDegree.choices, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(label=_("备案事由"), choices=GradingReason.choices, initial=GradingReason.INITIAL)
    change_description = forms.CharField(
        label=_("变更情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("等级变更或重大变更时必填。"),
    )
    graded_on = forms.DateField(label=_("定级日期"), widget=DATE, initial=timezone.localdate)
    expert_reviewed_on = forms.DateField(label=_("专家评审日期"), required=False, widget=DATE)
    expert_opinion = forms.CharField(label=_("专家评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("business_harm_object", "business_harm_degree", "service_harm_object", "service_harm_degree"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
            self.fields[name].error_messages["required"] = _("请选择一项。")


class GradingQueueFilterForm(BootstrapMixin, forms.Form):
    small = True
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + GradingStatus.choices)
    level = forms.ChoiceField(label=_("等级"), required=False, choices=ALL + SecurityLevel.choices)
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=ALL + District.choices)


# The risk level that starts each issue line, in either interface language.
SEVERITY_PREFIX = {
    "高": IssueSeverity.HIGH,
    "中": IssueSeverity.MEDIUM,
    "低": IssueSeverity.LOW,
    "high": IssueSeverity.HIGH,
    "medium": IssueSeverity.MEDIUM,
    "low": IssueSeverity.LOW,
}


class EvaluationForm(BootstrapMixin, forms.Form):
    evaluator = forms.ModelChoiceField(label=_("测评机构"), queryset=None, empty_label=_("请选择"))
    evaluated_on = forms.DateField(label=_("测评日期"), widget=DATE)
    report_version = forms.ChoiceField(label=_("报告版本"), choices=ReportVersion.choices)
    score = forms.DecimalField(label=_("测评得分"), min_value=0, max_value=100, decimal_places=2)
    high_risk_remaining = forms.BooleanField(label=_("仍存在高风险（重大风险）问题"), required=False)
    conclusion = forms.ChoiceField(
        label=_("测评结论"),
        required=False,
        choices=[("", _("按得分自动确定")), *Conclusion.choices],
        help_text=_("留空则按报告版本的结论等级自动确定；填写的结论与得分不符将被拒绝。"),
    )
    report_number = forms.CharField(label=_("报告编号"), required=False)
    issues = forms.CharField(
        label=_("发现的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个问题，以“高：”“中：”“低：”开头标明风险等级，如：高：未部署入侵检测。"),
    )
    report = forms.FileField(label=_("测评报告（PDF）"), required=False)

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators

    def clean_issues(self) -> list[tuple[str, str]]:
        issues = []
        for number, line in enumerate(self.cleaned_data["issues"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            head, sep, text = line.replace(":", "：").partition("：")
            head = head.strip().lower()
            if not sep or head not in SEVERITY_PREFIX or not text.strip():
                raise forms.ValidationError(
                    _("第%(line)s行应以“高：”“中：”或“低：”开头，后接问题描述。") % {"line": number}
                )
            issues.append((text.strip(), SEVERITY_PREFIX[head]))
        return issues


class RectificationForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("整改内容"), widget=forms.Textarea(attrs={"rows": 2}))
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE)
    issues = forms.ModelMultipleChoiceField(
        label=_("关闭的问题"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择整改关闭的问题。")},
    )

    def __init__(self, *args, open_issues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = open_issues
        self.fields["issues"].widget.attrs["class"] = "form-check-input"


class IncidentForm(BootstrapMixin, forms.Form):
    """Filled in a hurry on a phone: few fields, native date-time pickers, big buttons."""

    title = forms.CharField(label=_("事件名称"), max_length=200)
    level = forms.ChoiceField(label=_("事件级别"), choices=IncidentLevel.choices)
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=DATETIME)
    discovered_at = forms.DateTimeField(label=_("发现时间"), widget=DATETIME)
    systems = forms.ModelMultipleChoiceField(label=_("受影响的系统"), queryset=None, required=False)
    description = forms.CharField(label=_("事件情况"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("已采取的控制措施"), widget=forms.Textarea(attrs={"rows": 3}))
    records_preserved = forms.BooleanField(label=_("已保存相关记录（日志、样本等）"), required=False)

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = systems


class IncidentFilterForm(BootstrapMixin, forms.Form):
    small = True
    level = forms.ChoiceField(label=_("事件级别"), required=False, choices=ALL + IncidentLevel.choices)
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=ALL + District.choices)
    late = forms.BooleanField(label=_("只看迟报"), required=False)


class FollowUpForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("续报内容"), widget=forms.Textarea(attrs={"rows": 2}))


class SummaryForm(BootstrapMixin, forms.Form):
    summary = forms.CharField(label=_("总结报告"), widget=forms.Textarea(attrs={"rows": 4}))


class PlanForm(BootstrapMixin, forms.Form):
    version = forms.CharField(label=_("版本"), max_length=40)
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE)
    scope = forms.CharField(label=_("适用范围"), widget=forms.Textarea(attrs={"rows": 2}))
    systems = forms.ModelMultipleChoiceField(label=_("覆盖的系统"), queryset=None, required=False)

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = systems


class DrillForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("演练日期"), widget=DATE)
    scenario = forms.CharField(label=_("演练科目"), max_length=200)
    participants = forms.CharField(label=_("参演单位和人员"), widget=forms.Textarea(attrs={"rows": 2}))
    lessons = forms.CharField(label=_("经验与改进"), widget=forms.Textarea(attrs={"rows": 2}))


class BulletinForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=BulletinKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))
    to_all = forms.BooleanField(label=_("发送辖区全部单位"), required=False)
    recipients = forms.ModelMultipleChoiceField(label=_("接收单位"), queryset=None, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = organizations
