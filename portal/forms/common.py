"""Form pieces every page shares: Bootstrap classes, error marking, plain-language messages, the
attachment upload.

Conventions (README "Page conventions"): every form of every chapter derives from `BootstrapMixin`,
which gives
- selects a real placeholder (请选择…) instead of Django's "---------";
- messages that say what to fix, with units and Chinese punctuation, instead of Django's raw
  validator texts ("确认总共不超过 14 个数字." becomes "不能超过 999,999,999,999.99 万元。");
  a message a form sets itself always wins;
- `aria-invalid` and `aria-describedby` on invalid fields (the message is read with the field);
- selects rendered in Python (`FastSelect`), not one template include per option;
- `data-picker` on multiple selects (static/portal/portal.js turns them into a searchable list).
A form states the unit of a number field in `field_units = {"name": "万元"}`.
"""

import uuid
from decimal import Decimal
from html import escape as html_escape  # Django's escape, without its lazy-string wrapper (2,000 calls a page)

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PLACEHOLDER = pgettext_lazy("select placeholder", _("请选择…"))

# Django's stock messages by code, replaced unless the form set its own. `%(...)s` placeholders are
# the params Django passes with each code.
MESSAGES = {
    "required": _("请填写此项。"),
    "invalid_choice": _("所选的值不在可选范围内，请重新选择。"),
    "invalid_list": _("请选择一项或多项。"),
    "invalid_pk_value": _("所选的值无效，请重新选择。"),
    "max_length": _("最多 %(limit_value)s 个字符（现有 %(show_value)s 个）。"),
    "min_length": _("至少 %(limit_value)s 个字符（现有 %(show_value)s 个）。"),
}
BY_FIELD = {
    forms.ChoiceField: {"required": _("请选择此项。")},
    forms.ModelChoiceField: {"required": _("请选择此项。")},
    forms.ModelMultipleChoiceField: {"required": _("请至少选择一项。")},
    forms.IntegerField: {"invalid": _("请输入整数。")},
    forms.DecimalField: {"invalid": _("请输入数字，例如 120.50。")},
    forms.FloatField: {"invalid": _("请输入数字。")},
    forms.DateField: {"invalid": _("请输入有效的日期，例如 2026-03-05。")},
    forms.DateTimeField: {"invalid": _("请输入有效的日期和时间，例如 2026-03-05 09:30。")},
    forms.EmailField: {"invalid": _("请输入有效的电子邮箱地址，例如 name@example.gov.cn。")},
    forms.URLField: {"invalid": _("请输入有效的网址，例如 https://www.beijing.gov.cn/。")},
    forms.UUIDField: {"invalid": _("编号格式不正确。")},
    forms.FileField: {"required": _("请选择要上传的文件。"), "empty": _("文件为空，请重新选择。")},
    forms.BooleanField: {"required": _("请勾选此项后继续。")},
}


def _django_defaults(field: forms.Field) -> dict:
    messages = {}
    for klass in reversed(type(field).__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def _number_limits(field: forms.Field, unit: str) -> dict:
    """Messages for number limits, stated as the largest or smallest value with its unit."""
    suffix = f" {unit}" if unit else ""
    out = {
        "max_value": _("不能大于 %(limit_value)s") + suffix + "。",
        "min_value": _("不能小于 %(limit_value)s") + suffix + "。",
    }
    if isinstance(field, forms.DecimalField) and field.max_digits is not None:
        places = field.decimal_places or 0
        whole = field.max_digits - places
        largest = Decimal(10) ** whole - Decimal(1).scaleb(-places)
        shown = f"{largest:,.{places}f}"
        # Django's validator texts ("确认总共不超过 14 个数字.") count digits; people think in amounts.
        out["max_digits"] = _("不能超过 {largest}{unit}。").format(largest=shown, unit=suffix)
        out["max_whole_digits"] = out["max_digits"]
        out["max_decimal_places"] = _("最多保留 {places} 位小数。").format(places=places)
    return out


class BootstrapMixin:
    """Bootstrap 5 classes, placeholders and plain messages on every field; `is-invalid` on errors."""

    small = False  # compact controls (filter bars)
    field_units: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if type(widget) is forms.Select:  # not its subclasses (NullBooleanSelect, SelectDateWidget)
                field.widget = widget = FastSelect.like(widget)
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                pass  # rendered option by option by the template
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            else:
                if isinstance(widget, forms.Select | forms.SelectMultiple):
                    css = "form-select form-select-sm" if self.small else "form-select"
                else:
                    css = "form-control form-control-sm" if self.small else "form-control"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows")) == "10":
                widget.attrs["rows"] = 4  # Django's default of 10 rows dwarfs the rest of the form.
            if isinstance(widget, forms.SelectMultiple) and not isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("data-picker", "")
            self._placeholder(field)
            self._messages(name, field)

    @staticmethod
    def _placeholder(field: forms.Field) -> None:
        # Model choices are never listed here: that would run each field's query when the form is built
        # (and fail on a queryset the view sets later); their empty label is enough.
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and str(field.empty_label).startswith("---"):
                field.empty_label = PLACEHOLDER
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
                field.choices = [("", PLACEHOLDER), *choices[1:]]
        widget = field.widget
        if isinstance(widget, forms.Select) and not isinstance(field, forms.ChoiceField):
            choices = list(getattr(widget, "choices", []))
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
                widget.choices = [("", PLACEHOLDER), *choices[1:]]

    def _messages(self, name: str, field: forms.Field) -> None:
        defaults = _django_defaults(field)
        ours = dict(MESSAGES)
        for klass in reversed(type(field).__mro__):
            ours.update(BY_FIELD.get(klass, {}))
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            ours.update(_number_limits(field, str(self.field_units.get(name, ""))))
        for code, message in ours.items():
            current = field.error_messages.get(code)
            # Replace only Django's own text (or a validator's, which has no entry): a message the
            # form or model set on purpose stays.
            if current is None or str(current) == str(defaults.get(code)):
                field.error_messages[code] = message

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
                bound = self[name]
                described = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(described)


class AttachmentForm(BootstrapMixin, forms.Form):
    """Shape only; `attachment_create` checks size, type and content and reports errors on `file`."""

    file = forms.FileField(
        label=_("文件"),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件为空，请重新选择。")},
        allow_empty_file=True,  # the service says why an empty file is refused
    )
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


def missing_links(missing: dict, url_for_field) -> list[dict]:
    """The "still missing" list for templates/partials/missing.html: each message with a link to
    its field (`url_for_field(name)` returns a URL with the field's anchor, or None)."""
    return [{"field": name, "message": message, "url": url_for_field(name)} for name, message in missing.items()]


class FastSelect(forms.Select):
    """A single select rendered in Python: every plain ``Select`` of a portal form (``BootstrapMixin``).

    Django renders every option through a template include (about 0.3 ms each here: 600 ms for a city
    official's 2,000 organizations in the deadline filter, 10-25 ms for an ordinary filter bar of seven
    short selects); this writes the same markup (``<option value="…" selected>label``) directly, one
    escaped string per option. Grouped choices fall back to Django's rendering."""

    @classmethod
    def like(cls, widget: forms.Select) -> "FastSelect":
        """The same select (attributes, choices, required flag), rendered fast."""
        fast = cls(attrs=widget.attrs, choices=widget.choices)
        fast.is_required = widget.is_required
        return fast

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs.pop("name", None)
        chosen = set(self.format_value(value))
        options, selected_one = [], False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            selected = not selected_one and text in chosen
            selected_one = selected_one or selected
            flag = " selected" if selected else ""
            options.append(f'<option value="{html_escape(text)}"{flag}>{html_escape(str(label))}</option>')
        options_html = mark_safe("".join(options))  # noqa: S308 (value and label escaped above)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options_html)


class SuggestInput(forms.TextInput):
    """A text box that suggests values as the user types: static/portal/portal.js asks ``suggest_url``
    (``?q=…``, a JSON API list) and fills the box's ``<datalist>`` with the ``name`` of each result. Without
    JavaScript it is a plain text box, and the filter still works on what was typed."""

    def __init__(self, suggest_url: str, attrs=None):
        self.suggest_url = suggest_url
        super().__init__(attrs)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = f"{final_attrs.get('id') or name}-suggestions"
        box = super().render(name, value, {**(attrs or {}), "list": options, "data-suggest": self.suggest_url})
        return format_html('{}<datalist id="{}"></datalist>', box, options)


class OrganizationSearchField(forms.CharField):
    """The organization filter of a list: part of a name as typed, or an organization's id from a link.

    A select of every visible organization grew with the city (2,000 options, 25 ms of every page of a
    city official's deadline list, issue 15); the box suggests at most ten names from the organization API
    instead, so the page costs the same with 30 organizations or 2,000."""

    def __init__(self, *, suggest_url, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        super().__init__(widget=SuggestInput(suggest_url, attrs={"autocomplete": "off"}), **kwargs)

    @staticmethod
    def filter(queryset, value: str, path: str = "organization"):
        """The rows whose organization (at ``path``) has this id, or a name containing this text."""
        if not value:
            return queryset
        try:
            return queryset.filter(**{f"{path}__uuid": uuid.UUID(value)})
        except ValueError:
            return queryset.filter(**{f"{path}__name__icontains": value})
