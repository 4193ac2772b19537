"""Page forms of plans, standards, training records and recognition. Shape only; services validate the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import Plan
from planning.rules import AchievementCategory, AwardeeKind, DevelopmentKind, PlanKind, StandardCategory, StandardStatus
from portal.forms.common import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("规划类别"), choices=PlanKind.choices)
    organization = forms.ModelChoiceField(label=_("编制单位"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("规划名称"), max_length=200)
    period_start = forms.IntegerField(label=_("规划期起始年"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("规划期截止年"), min_value=2000, max_value=2100)
    summary = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conforms_to = forms.ModelChoiceField(
        label=_("所依据的本市规划"),
        queryset=None,
        required=False,
        help_text=_("区规划和部门规划应当符合本市信息化发展规划（第六条）；部门规划必填。"),
    )

    def __init__(self, *args, organizations, city_plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["conforms_to"].queryset = city_plans

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("规划期截止年不能早于起始年。"))
        return data


class PlanVersionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("修订说明"), max_length=300)
    document = forms.FileField(label=_("规划文本"), required=False, help_text=_("PDF、OFD 或 Word 文件。"))


class SubmitForReviewForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("报送说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OpinionForm(BootstrapMixin, forms.Form):
    opinion = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写审核意见（是否符合本市信息化发展规划及理由）。")},
    )


class ApprovalForm(BootstrapMixin, forms.Form):
    approved_by_body = forms.CharField(label=_("批准机关"), max_length=100, required=False)
    approval_reference = forms.CharField(label=_("批准文号"), max_length=60)
    approval_date = forms.DateField(label=_("批准日期"), widget=DATE)


class PublishForm(BootstrapMixin, forms.Form):
    published_on = forms.DateField(label=_("公布日期"), widget=DATE, required=False, help_text=_("不填为今天。"))


class StandardSearchForm(BootstrapMixin, forms.Form):
    small = True
    q = forms.CharField(label=_("编号或名称"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *StandardCategory.choices], required=False
    )
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *StandardStatus.choices], required=False)


class StandardForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("标准编号"), max_length=40, help_text=_("如 GB/T 22239-2019、DB11/T 1918-2021。"))
    title = forms.CharField(label=_("标准名称"), max_length=200)
    scope = forms.CharField(label=_("适用范围"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    issued_by = forms.CharField(label=_("发布机关"), max_length=100, required=False)
    effective_on = forms.DateField(label=_("实施日期"), widget=DATE)
    url = forms.URLField(label=_("全文链接"), required=False, assume_scheme="https")


class StandardWithdrawForm(BootstrapMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("废止日期"), widget=DATE)
    replaced_by = forms.CharField(label=_("代替标准编号"), max_length=40, required=False)


class DevelopmentRecordForm(BootstrapMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("机关"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("类别"), choices=DevelopmentKind.choices)
    held_on = forms.DateField(label=_("举办日期"), widget=DATE)
    title = forms.CharField(label=_("名称"), max_length=200)
    participants = forms.IntegerField(label=_("参加人数"), min_value=1)
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_digits=6, decimal_places=1, required=False)
    passed = forms.IntegerField(label=_("考核合格人数"), min_value=0, required=False, help_text=_("考核记录必填。"))
    notes = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class CommendationForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("表彰名称"), max_length=200)
    awardee_kind = forms.ChoiceField(label=_("表彰对象"), choices=AwardeeKind.choices)
    organization = forms.ModelChoiceField(label=_("受表彰单位"), queryset=None, required=False)
    person_name = forms.CharField(label=_("受表彰个人"), max_length=60, required=False)
    person_affiliation = forms.CharField(label=_("个人所在单位"), max_length=200, required=False)
    citation = forms.CharField(label=_("主要事迹"), widget=forms.Textarea(attrs={"rows": 2}))
    conferred_by = forms.CharField(label=_("表彰机关"), max_length=100)
    reference = forms.CharField(label=_("表彰文号"), max_length=60, required=False)
    conferred_on = forms.DateField(label=_("表彰日期"), widget=DATE)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class AchievementForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("成果名称"), max_length=200)
    organization = forms.ModelChoiceField(label=_("完成单位"), queryset=None)
    category = forms.ChoiceField(label=_("类别"), choices=AchievementCategory.choices)
    summary = forms.CharField(label=_("成果简介"), widget=forms.Textarea(attrs={"rows": 2}))
    event = forms.CharField(label=_("展示交流活动"), max_length=200, required=False)
    showcased_on = forms.DateField(label=_("展示日期"), widget=DATE)
    url = forms.URLField(label=_("链接"), required=False, assume_scheme="https")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


def plan_choice_label(plan: Plan) -> str:
    return f"{plan.title}（{plan.period_start}—{plan.period_end}）"
