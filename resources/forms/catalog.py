"""Page forms of the catalog: registration (resource + items formset) and the transition forms."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin
from resources.models import BaseDatabase, CatalogResource, Classification
from resources.rules import DataType, OpenAttribute, ShareMethod, ShareType, UpdateCycle
from resources.services.catalog_input import RESOURCE_FIELDS


def date_widget():
    """A browser date picker. Its value must be ISO (YYYY-MM-DD): with the zh-hans formats Django would write
    the initial date as 2026/12/01, which a date input drops, so the form came back empty and was refused."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubjectForm(BootstrapMixin, forms.Form):
    """Action forms take the object they act on (some offer its items as choices)."""

    def __init__(self, *args, subject=None, **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)


class ResourceForm(BootstrapMixin, forms.ModelForm):
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
            "last_updated_on": date_widget(),
        }

    def add_error(self, field, error):
        """Errors the services find after validation (the duplicate check) mark their field as invalid too."""
        super().add_error(field, error)
        if field in self.fields and "aria-invalid" not in self.fields[field].widget.attrs:
            widget, bound = self.fields[field].widget, self[field]
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"
            described = [f"{bound.auto_id}_error"] + ([f"{bound.auto_id}_helptext"] if bound.help_text else [])
            widget.attrs["aria-describedby"] = " ".join(described)

    def resource_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RESOURCE_FIELDS}


class ItemForm(BootstrapMixin, forms.Form):
    """One row of the items table. The column headers are not labels: each control gets its own accessible
    name with the row number (第2项 数据类型), or a screen reader hears a row of unnamed boxes."""

    small = True
    name = forms.CharField(label=_("信息项名称"), max_length=100, required=False)
    data_type = forms.ChoiceField(label=_("数据类型"), choices=DataType.choices, initial=DataType.STRING)
    length = forms.IntegerField(label=_("长度"), min_value=1, required=False)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    share_type = forms.ChoiceField(label=_("共享类型"), choices=ShareType.choices)
    open_attribute = forms.ChoiceField(label=_("开放属性"), choices=OpenAttribute.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = (self.prefix or "").rsplit("-", 1)[-1]
        for field in self.fields.values():
            name = field.label
            if row.isdigit():
                name = _("第%(row)s项%(label)s") % {"row": int(row) + 1, "label": field.label}
            field.widget.attrs["aria-label"] = name


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
    updated_on = forms.DateField(label=_("实际更新日期"), widget=date_widget())


class CatalogFilterForm(BootstrapMixin, forms.Form):
    small = True

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
