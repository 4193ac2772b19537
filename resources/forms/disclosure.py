"""Forms of the disclosure pages: input shapes, Chinese field errors; the services validate the law."""

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin
from resources import rules_disclosure as rules
from resources.models.disclosure import CatalogEntry, DisclosureApplication, DisclosureGuide, EnterpriseDisclosure
from resources.selectors.disclosure import disclosing_agencies
from resources.serializers_disclosure import STANDARD_CORRECTION

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
APPLICANT_FIELDS = [
    "applicant_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "contact",
    "email",
    "address",
    "description",
    "delivery_form",
    "delivery_channel",
]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PublicApplicationForm(BootstrapMixin, forms.ModelForm):
    """The public application (条例 Art. 29): who applies, what is sought, how to deliver it."""

    agency = AgencyChoiceField(
        queryset=disclosing_agencies(), to_field_name="uuid", label=_("向哪个机关申请"), empty_label=_("请选择机关")
    )
    captcha = CaptchaField(label=_("验证码"), help_text=_("请输入图片中的字符，用于防止自动提交。"))

    class Meta:
        model = DisclosureApplication
        fields = ["agency", *APPLICANT_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "applicant_name": {"required": "请填写申请人姓名或单位名称。"},
            "contact": {"required": "请填写联系电话或地址，以便送达答复。"},
            "description": {"required": "请描述所需信息的名称、文号或便于查询的特征。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("id_type", "id_number"):
            self.fields[name].required = True
        self.fields["id_type"].error_messages["required"] = _("请选择身份证明类型（条例第二十九条）。")
        self.fields["id_number"].error_messages["required"] = _("请填写身份证明号码（条例第二十九条）。")
        self.fields["email"].error_messages["invalid"] = _("电子邮箱格式不正确，例如 name@example.com。")

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("描述过短：请写明所需信息的名称、文号或其他特征（至少 5 个字）。"))
        return text

    def clean(self):
        data = super().clean()
        if data.get("delivery_channel") == rules.DeliveryChannel.EMAIL and not data.get("email"):
            self.add_error("email", _("选择以电子邮件获取信息时，请填写电子邮箱。"))
        return data


class RecordApplicationForm(BootstrapMixin, forms.ModelForm):
    """Staff record an application received in person, by mail or fax (条例 Art. 31 receipt dates)."""

    agency = AgencyChoiceField(queryset=None, to_field_name="uuid", label=_("受理机关"))
    received_on = forms.DateField(
        label=_("收到申请之日"), widget=DATE, help_text=_("按条例第三十一条确定（见下方规则）。")
    )

    class Meta:
        model = DisclosureApplication
        fields = ["agency", "channel", "received_on", *APPLICANT_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ConfirmReceiptForm(BootstrapMixin, forms.Form):
    received_on = forms.DateField(
        label=_("双方确认之日"), required=False, widget=DATE, help_text=_("条例第三十一条第三项；默认今天。")
    )


class CorrectionNoticeForm(BootstrapMixin, forms.Form):
    request = forms.CharField(
        label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}), initial=STANDARD_CORRECTION
    )
    on = forms.DateField(label=_("告知日"), required=False, widget=DATE)


class CorrectionReceivedForm(BootstrapMixin, forms.Form):
    received_on = forms.DateField(
        label=_("收到补正之日"), widget=DATE, help_text=_("答复期限自该日起重新计算 20 个工作日。")
    )


class ExtendForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(
        label=_("延长工作日数"),
        min_value=1,
        max_value=rules.EXTENSION_MAX_WORKING_DAYS,
        initial=rules.EXTENSION_MAX_WORKING_DAYS,
    )
    approved_by = forms.CharField(label=_("批准人（信息公开工作机构负责人）"), required=False)
    on = forms.DateField(label=_("告知日"), required=False, widget=DATE)


class ConsultForm(BootstrapMixin, forms.Form):
    party = forms.CharField(label=_("征求意见对象"))
    third_party = forms.BooleanField(label=_("第三方（15 个工作日内答复）"), required=False, initial=True)
    on = forms.DateField(label=_("征求意见日"), required=False, widget=DATE)


class ConsultationAnsweredForm(BootstrapMixin, forms.Form):
    answered_on = forms.DateField(label=_("收到意见之日"), required=False, widget=DATE)
    comment = forms.CharField(label=_("意见摘要"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _all_reasons():
    seen, choices = set(), [("", _("（予以公开无需理由）"))]
    for items in rules.RESPONSE_REASONS.values():
        for code, label in items:
            if code not in seen:
                seen.add(code)
                choices.append((code, label))
    return choices


class ReplyForm(BootstrapMixin, forms.Form):
    response_type = forms.ChoiceField(label=_("答复类型"), choices=rules.ResponseType.choices)
    reason = forms.ChoiceField(label=_("法定理由"), choices=_all_reasons(), required=False)
    text = forms.CharField(label=_("答复内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    fee_method = forms.ChoiceField(
        label=_("信息处理费（仅申请明显超过合理范围时）"),
        choices=[("", _("不收费")), *rules.FeeMethod.choices],
        required=False,
    )
    fee_quantity = forms.IntegerField(label=_("计费件数/页数"), min_value=1, required=False)
    on = forms.DateField(label=_("答复日"), required=False, widget=DATE)


class TrackForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("查询编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=20, widget=forms.PasswordInput(render_value=True))


class CorrectionSubmitForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("补正后的申请内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("按补正要求写明所需信息的名称、文号或其他特征。"),
    )


class GuideForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DisclosureGuide
        fields = [
            "categories",
            "arrangement",
            "how_to_obtain",
            "office_name",
            "office_address",
            "office_hours",
            "phone",
            "fax",
            "online_contact",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("categories", "arrangement", "how_to_obtain")}


class CatalogEntryForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CatalogEntry
        fields = ["index_number", "name", "summary", "generated_on", "category", "link", "content"]
        widgets = {"generated_on": DATE, "summary": forms.Textarea(attrs={"rows": 2})}


class EnterpriseItemForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = EnterpriseDisclosure
        fields = ["kind", "title", "content", "link"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}
