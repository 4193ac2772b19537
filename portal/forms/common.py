"""Form pieces every page shares: Bootstrap classes and error marking, the attachment upload."""

from django import forms


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, and `is-invalid` on fields with errors."""

    small = False  # compact controls (filter bars)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm" if self.small else "form-select"
            else:
                css = "form-control form-control-sm" if self.small else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class AttachmentForm(BootstrapMixin, forms.Form):
    """Shape only; `attachment_create` checks size, type and content and reports errors on `file`."""

    file = forms.FileField(
        label="文件",
        error_messages={"required": "请选择要上传的文件。", "empty": "文件为空，请重新选择。"},
        allow_empty_file=True,  # the service says why an empty file is refused
    )
    description = forms.CharField(label="说明", max_length=200, required=False)
