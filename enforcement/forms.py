"""Page forms of Chapters 6-7 (input shape only; the services decide the law)."""

from django import forms

from enforcement.models import CaseStatus, FindingStatus
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
    reason = forms.CharField(label="不予立案理由", widget=forms.Textarea(attrs={"rows": 3}))


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
        label="执法人员（不少于2人，行政处罚法第四十二条）",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.CharField(
        label="违法事实（留空则采用线索记载的事实）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    competent_department = forms.CharField(label="作出处罚的主管部门及依据（第四十五条案件必填）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = enforcement_officers()

    def to_service(self) -> dict:
        return {**self.cleaned_data, "officers": list(self.cleaned_data["officers"])}


class SanctionsForm(ActionForm):
    """The sanction kinds as checkboxes, a fine amount and the reasons it is serious (Art. 43)."""

    kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=SanctionKind.choices, widget=forms.CheckboxSelectMultiple
    )
    amount = forms.DecimalField(label="罚款金额（元）", required=False, max_digits=12, decimal_places=2, min_value=0)
    serious_reasons = forms.CharField(
        label="情节严重的理由（第四十三条罚款必填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
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
    statement = forms.CharField(label="告知说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def to_service(self) -> dict:
        return {"sanctions": self.sanctions(), "statement": self.cleaned_data.get("statement", "")}


class DecideForm(SanctionsForm):
    decision_text = forms.CharField(label="处罚决定理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    correction_due = forms.DateField(label="改正期限（责令改正时必填）", required=False, widget=DATE)

    def to_service(self) -> dict:
        return {
            "sanctions": self.sanctions(),
            "decision_text": self.cleaned_data.get("decision_text", ""),
            "correction_due": self.cleaned_data.get("correction_due"),
        }


class ScheduleHearingForm(ActionForm):
    hearing_date = forms.DateField(label="听证日期（须提前7日通知）", widget=DATE)


class HoldHearingForm(ActionForm):
    record = forms.CharField(label="听证笔录摘要", widget=forms.Textarea(attrs={"rows": 3}))


class ServeForm(ActionForm):
    served_on = forms.DateField(label="送达日期（留空为今天）", required=False, widget=DATE)


class PaymentForm(ActionForm):
    paid_on = forms.DateField(label="缴款日期", widget=DATE)
    amount = forms.DecimalField(label="缴款金额（元）", max_digits=12, decimal_places=2, min_value=0)


class ReinspectionForm(ActionForm):
    corrected = forms.BooleanField(label="已改正", required=False)
    result = forms.CharField(label="复查结论", widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ActionForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReferForm(ActionForm):
    body = forms.ChoiceField(label="移送机关", choices=ReferralBody.choices)
    reason = forms.CharField(label="移送理由", widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(ActionForm):
    new_due_date = forms.DateField(label="延长至", widget=DATE)
    reason = forms.CharField(label="延期理由")
    approval_reference = forms.CharField(label="负责人批准记录")


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="证据材料")
    description = forms.CharField(label="说明", required=False, max_length=200)


class FindingFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *FindingStatus.choices])
    rule = forms.CharField(label="规则", required=False)
    district = forms.ChoiceField(label="所在区", required=False, choices=[("", "全部"), *District.choices])


class CaseFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *CaseStatus.choices])
    article = forms.TypedChoiceField(
        label="罚则条款",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部")] + [(a, f"Art. {a}") for a in (43, 44, 45, 46)],
    )
    district = forms.ChoiceField(label="所在区", required=False, choices=[("", "全部"), *District.choices])


class SurchargeForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label="计算至", widget=DATE)
