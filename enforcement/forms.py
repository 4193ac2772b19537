"""Page forms of Chapters 6-7 (input shape only; the services decide the law)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enforcement.models import CaseStatus, FindingStatus, InspectionArea
from enforcement.rules import ReferralBody, SanctionKind
from portal.forms.common import BootstrapMixin
from portal.models import District, Membership, OrganizationKind, Role, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(BootstrapMixin, forms.Form):
    def to_service(self) -> dict:
        return dict(self.cleaned_data)


class NoInputForm(ActionForm):
    pass


class DismissForm(ActionForm):
    reason = forms.CharField(label=_("不予立案理由"), widget=forms.Textarea(attrs={"rows": 3}))


def enforcement_officers():
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            organization__kind=OrganizationKind.AUTHORITY,
            role__in=[Role.AUTHORITY_OFFICIAL, Role.ENFORCEMENT_OFFICER, Role.DISTRICT_OFFICIAL],
        ).values("user_id"),
    ).order_by("username")


class OpenCaseForm(ActionForm):
    officers = forms.ModelMultipleChoiceField(
        label=_("执法人员（不少于2人，行政处罚法第四十二条）"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.CharField(
        label=_("违法事实（留空则采用线索记载的事实）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    competent_department = forms.CharField(label=_("作出处罚的主管部门及依据（第四十五条案件必填）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = enforcement_officers()

    def to_service(self) -> dict:
        return {**self.cleaned_data, "officers": list(self.cleaned_data["officers"])}


class SanctionsForm(ActionForm):
    """The sanction kinds as checkboxes, a fine amount and the reasons it is serious (Art. 43)."""

    kinds = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=SanctionKind.choices, widget=forms.CheckboxSelectMultiple
    )
    amount = forms.DecimalField(label=_("罚款金额（元）"), required=False, max_digits=12, decimal_places=2, min_value=0)
    serious_reasons = forms.CharField(
        label=_("情节严重的理由（第四十三条罚款必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def sanctions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "kind": kind,
                "amount": data.get("amount") if kind == SanctionKind.FINE else None,
                "serious_reasons": data.get("serious_reasons", "") if kind == SanctionKind.FINE else "",
            }
            for kind in data["kinds"]
        ]


class NotifyForm(SanctionsForm):
    statement = forms.CharField(label=_("告知说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def to_service(self) -> dict:
        return {"sanctions": self.sanctions(), "statement": self.cleaned_data.get("statement", "")}


class DecideForm(SanctionsForm):
    decision_text = forms.CharField(label=_("处罚决定理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    correction_due = forms.DateField(label=_("改正期限（责令改正时必填）"), required=False, widget=DATE)

    def to_service(self) -> dict:
        return {
            "sanctions": self.sanctions(),
            "decision_text": self.cleaned_data.get("decision_text", ""),
            "correction_due": self.cleaned_data.get("correction_due"),
        }


class ScheduleHearingForm(ActionForm):
    hearing_date = forms.DateField(label=_("听证日期（须提前7日通知）"), widget=DATE)


class HoldHearingForm(ActionForm):
    record = forms.CharField(label=_("听证笔录摘要"), widget=forms.Textarea(attrs={"rows": 3}))


class ServeForm(ActionForm):
    served_on = forms.DateField(label=_("送达日期（留空为今天）"), required=False, widget=DATE)


class PaymentForm(ActionForm):
    paid_on = forms.DateField(label=_("缴款日期"), widget=DATE)
    amount = forms.DecimalField(label=_("缴款金额（元）"), max_digits=12, decimal_places=2, min_value=0)


class ReinspectionForm(ActionForm):
    corrected = forms.BooleanField(label=_("已改正"), required=False)
    result = forms.CharField(label=_("复查结论"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReferForm(ActionForm):
    body = forms.ChoiceField(label=_("移送机关"), choices=ReferralBody.choices)
    reason = forms.CharField(label=_("移送理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(ActionForm):
    new_due_date = forms.DateField(label=_("延长至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"))
    approval_reference = forms.CharField(label=_("负责人批准记录"))


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("证据材料"))
    description = forms.CharField(label=_("说明"), required=False, max_length=200)


class FindingFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FindingStatus.choices])
    rule = forms.CharField(label=_("规则"), required=False)
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=[("", _("全部")), *District.choices])


class CaseFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *CaseStatus.choices])
    article = forms.TypedChoiceField(
        label=_("罚则条款"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部"))] + [(a, f"Art. {a}") for a in (43, 44, 45, 46)],
    )
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=[("", _("全部")), *District.choices])


class SurchargeForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("计算至"), widget=DATE)


SANCTIONING_CHOICES = [
    ("", "—"),
    ("43", _("Art. 43（违反第十一条）")),
    ("44", _("Art. 44（违反第三十四条）")),
    ("45(1)", _("Art. 45(1)（违反第十九条）")),
    ("45(2)", _("Art. 45(2)（违反第三十二条）")),
    ("45(3)", _("Art. 45(3)（违反第三十三条）")),
    ("46(1)", _("Art. 46(1)（违反第十七条）")),
    ("46(2)", _("Art. 46(2)（违反第二十九条第二款）")),
]


def _units():
    from portal.models import Organization

    return Organization.objects.filter(is_active=True).exclude(kind=OrganizationKind.AUTHORITY).order_by("name")


class InspectionForm(BootstrapMixin, forms.Form):
    """Arts. 38-39: an inspection; a violation it finds becomes a finding to triage."""

    subject = forms.ModelChoiceField(label=_("被检查单位"), queryset=None)
    area = forms.ChoiceField(label=_("检查事项"), choices=[c for c in InspectionArea.choices if c[0] != "reinspection"])
    planned_on = forms.DateField(label=_("计划日期"), widget=DATE)
    conducted_on = forms.DateField(label=_("检查日期（未检查留空）"), required=False, widget=DATE)
    conclusion = forms.CharField(label=_("检查结论"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    violation_title = forms.CharField(label=_("发现的违法情形（无则留空）"), required=False, max_length=200)
    article_breached = forms.CharField(label=_("违反条款（如 19）"), required=False, max_length=20)
    sanctioning_article = forms.ChoiceField(label=_("罚则条款"), required=False, choices=SANCTIONING_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = _units()

    def clean(self):
        data = super().clean()
        if data.get("violation_title"):
            if not data.get("article_breached"):
                self.add_error("article_breached", _("发现违法情形时须写明违反的条款。"))
            if not data.get("sanctioning_article"):
                self.add_error("sanctioning_article", _("发现违法情形时须选择罚则条款。"))
            if not data.get("conducted_on"):
                self.add_error("conducted_on", _("发现违法情形时须填写检查日期。"))
        return data

    def to_service(self) -> dict:
        d = self.cleaned_data
        violation = None
        if d.get("violation_title"):
            violation = {
                "title": d["violation_title"],
                "article_breached": d["article_breached"],
                "sanctioning_article": d["sanctioning_article"],
            }
        return {
            "subject": d["subject"],
            "area": d["area"],
            "planned_on": d["planned_on"],
            "conducted_on": d.get("conducted_on"),
            "conclusion": d.get("conclusion", ""),
            "violation": violation,
        }


class PerformanceEvaluationForm(BootstrapMixin, forms.Form):
    """Art. 38: one agency's yearly e-government performance, one indicator per line as 名称=得分."""

    year = forms.IntegerField(label=_("年度"), min_value=2007, max_value=2100)
    agency = forms.ModelChoiceField(label=_("被考核机关"), queryset=None)
    indicators = forms.CharField(
        label=_("指标得分（每行一项：指标名称=得分）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("各项得分之和为总分，不超过100分。"),
    )
    published = forms.BooleanField(label=_("公布"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _units().filter(kind=OrganizationKind.AGENCY)

    def clean_indicators(self):
        from decimal import Decimal, InvalidOperation

        scores, bad = {}, []
        for number, line in enumerate(self.cleaned_data["indicators"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            try:
                score = Decimal(value.strip())
            except InvalidOperation:
                score = None
            if not sep or not name.strip() or score is None or score < 0:
                bad.append(f"第{number}行“{line.strip()}”")
                continue
            scores[name.strip()] = score
        if bad:
            raise forms.ValidationError("请按“指标名称=得分”填写：" + "、".join(bad) + "。")
        if not scores:
            raise forms.ValidationError(_("请至少填写一项指标。"))
        if sum(scores.values()) > 100:
            raise forms.ValidationError(f"各项得分之和为 {sum(scores.values())}，超过100分。")
        return scores


class ServiceEvaluationForm(BootstrapMixin, forms.Form):
    """Art. 41: a public enterprise's information-service level, by its sector authority, published."""

    year = forms.IntegerField(label=_("年度"), min_value=2007, max_value=2100)
    enterprise = forms.ModelChoiceField(label=_("公共企事业单位"), queryset=None)
    sector_authority = forms.ModelChoiceField(label=_("行业主管部门"), queryset=None)
    score = forms.DecimalField(label=_("得分"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    summary = forms.CharField(label=_("评估情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from portal.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = _units().filter(kind=OrganizationKind.PUBLIC_ENTERPRISE)
        self.fields["sector_authority"].queryset = Organization.objects.filter(
            is_active=True, kind__in=[OrganizationKind.AUTHORITY, OrganizationKind.DEPARTMENT]
        ).order_by("name")
