"""``get_<field>_display`` without translating every choice on each call.

Django's own builds ``dict(make_hashable(field.flatchoices))`` on each call, which hashes every lazy label
(one gettext per choice): a list of 50 rows showing a district cost 800 translations. This one maps the
stored value to its label, and only the label shown is translated (when rendered). Same result, same
fallback (the raw value when it is not a choice)."""

from functools import partialmethod

from django.apps import apps
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _get_field_display(self, field):
    value = make_hashable(getattr(self, field.attname))
    for choice, label in field.flatchoices:
        if make_hashable(choice) == value:
            return force_str(label, strings_only=True)
    return force_str(value, strings_only=True)


def install() -> None:
    for model in apps.get_models():
        for field in model._meta.fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if isinstance(current, partialmethod):  # Django's, not a model's own method
                setattr(model, name, partialmethod(_get_field_display, field=field))
