"""Forms of the organization pages: shape only; the services decide who may change what."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms.common import BootstrapMixin
from portal.models import District, Organization, OrganizationKind
from portal.services import ORGANIZATION_EDITABLE_FIELDS


class OrganizationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("名称"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *OrganizationKind.choices])
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=[("", _("全部")), *District.choices])
    small = True

    def apply(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(name__contains=data["q"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("district"):
            queryset = queryset.filter(district=data["district"])
        return queryset


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    """Shape only; the service decides who may change what."""

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only an issuing authority has a 机关代字 (document numbers); other units never see the field.
        if self.instance.kind != OrganizationKind.AUTHORITY:
            self.fields.pop("document_code", None)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.Meta.fields}
