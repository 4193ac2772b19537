"""``get_<field>_display`` (portal.displays): the label of the value, the raw value when not a choice."""

from portal.models import District, Organization


def test_it_shows_the_label_of_the_stored_value_and_the_raw_value_otherwise():
    organization = Organization(district=District.HAIDIAN)
    assert organization.get_district_display() == "海淀区"
    organization.district = "999999"
    assert organization.get_district_display() == "999999"
    organization.district = ""
    assert organization.get_district_display() == ""


def test_a_long_select_renders_the_options_as_django_does():
    from django import forms

    from portal.forms.common import LongSelect

    class Form(forms.Form):
        plain = forms.ChoiceField(choices=[("", "全部"), ("1", "甲<b>"), ("2", "乙")], required=False)
        long = forms.ChoiceField(choices=[("", "全部"), ("1", "甲<b>"), ("2", "乙")], required=False, widget=LongSelect)

    def squeeze(html: str, name: str) -> str:
        return "".join(line.strip() for line in html.replace(f"_{name}", "_x").replace(f'"{name}"', '"x"').splitlines())

    for data in (None, {"plain": "2", "long": "2"}):
        form = Form(data)
        assert squeeze(str(form["long"]), "long") == squeeze(str(form["plain"]), "plain")
    assert '<option value="2" selected>乙</option>' in str(form["long"])
    assert "甲&lt;b&gt;" in str(form["long"])
