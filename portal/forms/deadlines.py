"""Forms of the deadline pages: shape only; the services decide the law."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.forms.common import BootstrapMixin, OrganizationSearchField
from portal.models import CalendarYear, DeadlineKind, DeadlineState, District


class DeadlineKindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DeadlineKind) -> str:
        return obj.display_label


class DeadlineFilterForm(BootstrapMixin, forms.Form):
    small = True
    kind = DeadlineKindChoiceField(
        label=_("类型"), queryset=DeadlineKind.objects.order_by("code"), required=False, empty_label=_("全部")
    )
    organization = OrganizationSearchField(label=_("责任单位"), suggest_url=reverse_lazy("api-organization-list"))
    district = forms.ChoiceField(label=_("所在区"), required=False, choices=[("", _("全部")), *District.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *DeadlineState.choices])
    due_from = forms.DateField(label=_("截止日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(label=_("截止日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("结束日期不能早于开始日期，请调整截止日期范围。"))
        return data

    def apply(self, queryset):
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        queryset = OrganizationSearchField.filter(queryset, data.get("organization"))
        if data.get("district"):
            queryset = queryset.filter(district=data["district"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("due_from"):
            queryset = queryset.filter(due_date__gte=data["due_from"])
        if data.get("due_to"):
            queryset = queryset.filter(due_date__lte=data["due_to"])
        return queryset


class DeadlineExtendForm(BootstrapMixin, forms.Form):
    new_due_date = forms.DateField(label=_("新的截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class DeadlineWaiveForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("免除理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CalendarUploadForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=1949, max_value=2200)
    file = forms.FileField(
        label=_("节假日安排（CSV）"),
        help_text=_(
            "每行：日期（YYYY-MM-DD）,类型（工作日/休息日）,说明；只需列出法定节假日和调休上班日，"
            "其余日期按周一至周五上班、周六周日休息。"
        ),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200, help_text=_("如：国办发明电〔2026〕X号"))
    replace = forms.BooleanField(label=_("替换已载入的该年度日历"), required=False)

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year and CalendarYear.objects.filter(year=year).exists() and not data.get("replace"):
            self.add_error("replace", f"{year} 年日历已载入；如需按新通知替换，请勾选此项。")
        upload = data.get("file")
        if upload is not None:
            if upload.size > 200_000:
                self.add_error("file", _("文件过大：一年的节假日安排不应超过 200 KB。"))
            else:
                raw = upload.read()
                for encoding in ("utf-8-sig", "gb18030"):
                    try:
                        data["text"] = raw.decode(encoding)
                        break
                    except UnicodeDecodeError:
                        continue
                else:
                    self.add_error("file", _("无法识别文件编码，请另存为 UTF-8 编码的 CSV。"))
        return data


class NotificationPreferencesForm(BootstrapMixin, forms.Form):
    """One email and one digest checkbox per notification kind."""

    def __init__(self, *args, kinds: dict[str, str], current: dict[str, tuple[bool, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        # The labels in settings.NOTIFICATION_KINDS are marked for the English catalog (gettext_noop).
        self.kinds = {code: gettext(label) for code, label in kinds.items()}
        for code, label in self.kinds.items():
            email, digest = current.get(code, (True, False))
            self.fields[f"email_{code}"] = forms.BooleanField(
                label=gettext("%(kind)s：邮件通知") % {"kind": label}, required=False, initial=email
            )
            self.fields[f"digest_{code}"] = forms.BooleanField(
                label=gettext("%(kind)s：并入每日摘要") % {"kind": label}, required=False, initial=digest
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {code: (self.cleaned_data[f"email_{code}"], self.cleaned_data[f"digest_{code}"]) for code in self.kinds}

    def rows(self):
        return [(label, self[f"email_{code}"], self[f"digest_{code}"]) for code, label in self.kinds.items()]
