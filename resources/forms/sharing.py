"""Page forms of sharing requests: the request and one form per negotiation step."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.forms.catalog import SubjectForm, date_widget
from resources.models import ResourceItem
from resources.rules import ShareMethod, ShareType


class _ItemsForm(SubjectForm):
    """``subject`` is the resource (or the sharing request, whose resource's items are offered)."""

    items = forms.ModelMultipleChoiceField(
        label=_("信息项"), queryset=ResourceItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, subject=subject, **kwargs)
        resource = getattr(subject, "resource", subject)
        if resource is not None:
            self.fields["items"].queryset = (
                ResourceItem.objects.filter(resource=resource).exclude(share_type=ShareType.NONE).order_by("position")
            )
            if hasattr(subject, "resource") and subject.pk and not self.is_bound:
                self.initial.setdefault("items", list(subject.items.values_list("pk", flat=True)))


class SharingRequestForm(_ItemsForm):
    scope = forms.CharField(label=_("共享范围"), widget=forms.Textarea(attrs={"rows": 2}))
    purpose = forms.CharField(label=_("用途"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("共享方式"), choices=ShareMethod.choices)
    period_end = forms.DateField(label=_("使用期限至"), widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("period_end", timezone.localdate().replace(year=timezone.localdate().year + 1))


class CounterForm(_ItemsForm):
    scope = forms.CharField(label=_("共享范围"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("共享方式"), choices=ShareMethod.choices)
    period_end = forms.DateField(label=_("使用期限至"), widget=date_widget())
    reason = forms.CharField(label=_("修改理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, subject=subject, **kwargs)
        if subject is not None and hasattr(subject, "method"):
            self.initial.setdefault("method", subject.method)
            self.initial.setdefault("period_end", subject.period_end)
            self.initial.setdefault("scope", subject.scope)


class ReviseForm(CounterForm):
    purpose = forms.CharField(label=_("用途"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["items", "scope", "purpose", "method", "period_end", "reason"]

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, subject=subject, **kwargs)
        self.fields["reason"].required = False
        if subject is not None:
            self.initial.setdefault("purpose", subject.purpose)


class DecideForm(_ItemsForm):
    grant = forms.TypedChoiceField(
        label=_("协调决定"),
        choices=[("true", _("共享")), ("false", _("不予共享"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 2}))
    period_end = forms.DateField(label=_("使用期限至"), required=False, widget=date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("items"):
            data["items"] = None
        if not data.get("period_end"):
            data["period_end"] = None
        return data


class WithdrawForm(SubjectForm):
    """The requester withdraws; the reason is optional (the service's ``reason``)."""

    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
