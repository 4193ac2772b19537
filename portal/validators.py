"""Text input rules for every form and API field of the portal, installed once (issue 8, defect 5).

Every Django form ``CharField`` and DRF ``CharField`` (and their subclasses) refuses control
characters, and every DRF text field without its own ``max_length`` gets ``TEXT_MAX_LENGTH`` (so the
OpenAPI schema states it too). Installed from ``PortalConfig.ready()``, before any form or serializer
builds its fields: one place, so a new chapter's fields are covered without doing anything.

Why: PostgreSQL cannot store NUL in text (psycopg raises, the request answered 500), and other C0/C1
control characters have no business in official records (they break CSV/XLSX exports and PDFs).
Tab, line feed and carriage return stay allowed: multi-line text areas send them.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# A free-text field without a limit of its own: about ten pages of Chinese text. Longer material
# belongs in an attachment.
TEXT_MAX_LENGTH = 20_000

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@deconstructible
class NoControlCharactersValidator:
    message = _("不得包含控制字符（如 NUL、退格等不可见字符），请删除后重试。")
    code = "control-characters"

    def __call__(self, value) -> None:
        # JSON fields are CharField subclasses in Django forms; their cleaned value is not a string.
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharactersValidator)

    def __hash__(self) -> int:
        return hash(self.code)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


_installed = False


def _without_null_validator(validators: list) -> list:
    # Ours covers NUL with a clearer message; two errors for one character would only confuse.
    return [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]


def install() -> None:
    """Attach the rules to the base text fields of Django forms and DRF. Idempotent."""
    global _installed
    if _installed:
        return
    from rest_framework import serializers

    validator = NoControlCharactersValidator()
    forms.CharField.default_validators = [*forms.CharField.default_validators, validator]
    serializers.CharField.default_validators = [*serializers.CharField.default_validators, validator]

    original_init = serializers.CharField.__init__

    def init_with_default_max_length(self, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        if kwargs["max_length"] is not None and kwargs["max_length"] > TEXT_MAX_LENGTH:
            kwargs["max_length"] = TEXT_MAX_LENGTH
        original_init(self, **kwargs)
        self.validators = _without_null_validator(self.validators)

    original_form_init = forms.CharField.__init__

    def form_init(self, **kwargs):
        original_form_init(self, **kwargs)
        self.validators = _without_null_validator(self.validators)

    serializers.CharField.__init__ = init_with_default_max_length
    forms.CharField.__init__ = form_init
    _installed = True
