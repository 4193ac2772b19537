"""``get_<field>_display`` without translating every choice on each call.

Django's own builds ``dict(make_hashable(field.flatchoices))`` on each call, which hashes every lazy label
(one gettext per choice): a list of 50 rows showing a district cost 800 translations. This one maps the
stored value to its label, and only the label shown is translated (when rendered). Same result, same
fallback (the raw value when it is not a choice)."""

from functools import partialmethod

from django.apps import apps
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _labels(field) -> dict:
    """The field's {value: lazy label}, built once per field (a field's choices do not change while the
    process runs): flattening and hashing every choice on each call was 0.1 ms a call, 100 calls a list."""
    labels = field.__dict__.get("_portal_choice_labels")
    if labels is None:
        labels = {}
        for choice, label in field.flatchoices:
            labels.setdefault(make_hashable(choice), label)  # the first of equal values, as a scan finds it
        field._portal_choice_labels = labels
    return labels


def _get_field_display(self, field):
    value = make_hashable(getattr(self, field.attname))
    label = _labels(field).get(value, value)
    return force_str(label, strings_only=True)


def install() -> None:
    for model in apps.get_models():
        for field in model._meta.fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if isinstance(current, partialmethod):  # Django's, not a model's own method
                setattr(model, name, partialmethod(_get_field_display, field=field))
