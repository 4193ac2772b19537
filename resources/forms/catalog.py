"""Page forms of the catalog: registration (resource + items formset) and the transition forms."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin
from resources.models import BaseDatabase, CatalogResource, Classification
from resources.rules import DataType, OpenAttribute, ShareMethod, ShareType, UpdateCycle
from resources.services.catalog_input import RESOURCE_FIELDS


class SubjectForm(BootstrapMixin, forms.Form):
    """Action forms take the object they act on (some offer its items as choices)."""

    def __init__(self, *args, subject=None, **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)


class ResourceForm(forms.ModelForm):
    classification = forms.ModelChoiceField(
        label=_("资源分类"), queryset=Classification.objects.order_by("code"), to_field_name="code"
    )
    base_database = forms.ModelChoiceField(
        label=_("所属基础数据库（第十八条）"),
        queryset=BaseDatabase.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    duplicate_justification = forms.CharField(
        label=_("重复采集的理由（第十七条）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("与其他单位已发布的资源或基础数据库重复时必填。"),
    )

    class Meta:
        model = CatalogResource
        fields = list(RESOURCE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "collection_basis": forms.Textarea(attrs={"rows": 2}),
            "share_condition": forms.Textarea(attrs={"rows": 2}),
            "share_basis": forms.Textarea(attrs={"rows": 2}),
            "last_updated_on": forms.DateInput(attrs={"type": "date"}),
        }

    def resource_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RESOURCE_FIELDS}


class ItemForm(forms.Form):
    name = forms.CharField(label=_("信息项名称"), max_length=100, required=False)
    data_type = forms.ChoiceField(label=_("数据类型"), choices=DataType.choices, initial=DataType.STRING)
    length = forms.IntegerField(label=_("长度"), min_value=1, required=False)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    share_type = forms.ChoiceField(label=_("共享类型"), choices=ShareType.choices)
    open_attribute = forms.ChoiceField(label=_("开放属性"), choices=OpenAttribute.choices)


ItemFormSet = formset_factory(ItemForm, extra=3, max_num=500)


def items_from(formset) -> list[dict]:
    """The filled item rows (a row without a name is an unused blank row)."""
    return [
        {**form.cleaned_data, "description": form.cleaned_data.get("description") or ""}
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


class ReasonForm(SubjectForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(SubjectForm):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoInputForm(SubjectForm):
    pass


class RecordUpdateForm(SubjectForm):
    updated_on = forms.DateField(label=_("实际更新日期"), widget=forms.DateInput(attrs={"type": "date"}))


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False)
    share_type = forms.ChoiceField(label=_("共享类型"), choices=[("", _("全部")), *ShareType.choices], required=False)
    open_attribute = forms.ChoiceField(
        label=_("开放属性"), choices=[("", _("全部")), *OpenAttribute.choices], required=False
    )
    update_cycle = forms.ChoiceField(
        label=_("更新周期"), choices=[("", _("全部")), *UpdateCycle.choices], required=False
    )
    classification = forms.CharField(required=False, widget=forms.HiddenInput)
    provider = forms.UUIDField(required=False, widget=forms.HiddenInput)
    base_database = forms.CharField(required=False, widget=forms.HiddenInput)
    status = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("排序"),
        choices=[("relevance", _("相关度")), ("date", _("发布日期"))],
        required=False,
        initial="relevance",
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


SHARE_METHOD_CHOICES = ShareMethod.choices


class JustificationReviewForm(SubjectForm):
    accepted = forms.TypedChoiceField(
        label=_("重复采集理由"),
        choices=[("true", _("理由成立")), ("false", _("理由不成立（记录违法线索，第四十六条第一项）"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
