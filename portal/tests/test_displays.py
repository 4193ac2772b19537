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

    from portal.forms.common import FastSelect

    class Form(forms.Form):
        plain = forms.ChoiceField(choices=[("", "全部"), ("1", "甲<b>"), ("2", "乙")], required=False)
        long = forms.ChoiceField(choices=[("", "全部"), ("1", "甲<b>"), ("2", "乙")], required=False, widget=FastSelect)

    def squeeze(html: str, name: str) -> str:
        return "".join(line.strip() for line in html.replace(f"_{name}", "_x").replace(f'"{name}"', '"x"').splitlines())

    for data in (None, {"plain": "2", "long": "2"}):
        form = Form(data)
        assert squeeze(str(form["long"]), "long") == squeeze(str(form["plain"]), "plain")
    assert '<option value="2" selected>乙</option>' in str(form["long"])
    assert "甲&lt;b&gt;" in str(form["long"])


def test_an_organization_filter_is_a_suggesting_text_box_that_matches_an_id_or_part_of_a_name(db):
    from django import forms

    from portal.forms.common import OrganizationSearchField

    first = Organization.objects.create(name="甲<局>", kind="agency", level="city", uscc="11110000000000001A")
    second = Organization.objects.create(name="乙局", kind="agency", level="city", uscc="11110000000000002B")

    class Form(forms.Form):
        organization = OrganizationSearchField(suggest_url="/api/v1/organizations/")

    html = str(Form({"organization": "甲<"})["organization"])
    assert 'list="id_organization-suggestions"' in html and 'data-suggest="/api/v1/organizations/"' in html
    assert '<datalist id="id_organization-suggestions"></datalist>' in html
    assert 'value="甲&lt;"' in html and "<option" not in html  # no option per organization

    def matching(value):
        return set(OrganizationSearchField.filter(Organization.objects.all(), value, path="parent"))

    child_of_first = Organization.objects.create(
        name="甲局下属", kind="agency", level="city", uscc="11110000000000003C", parent=first
    )
    Organization.objects.create(name="乙局下属", kind="agency", level="city", uscc="11110000000000004D", parent=second)
    assert matching(str(first.uuid)) == {child_of_first}
    assert matching("甲<") == {child_of_first}
    assert matching("00000000-0000-0000-0000-000000000000") == set()
    assert len(matching("")) == Organization.objects.count()


def test_every_plain_select_of_a_portal_form_is_rendered_fast_and_keeps_its_choices():
    from django import forms

    from portal.forms.common import BootstrapMixin, FastSelect

    class Form(BootstrapMixin, forms.Form):
        status = forms.ChoiceField(choices=[("", "全部"), ("a", "甲")], required=False)
        later = forms.ChoiceField(required=True)
        flag = forms.NullBooleanField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["later"].choices = [("x", "后设的选项")]  # choices a view sets after the mixin ran

    form = Form({"status": "a", "later": "x"})
    assert type(form.fields["status"].widget) is FastSelect
    assert type(form.fields["flag"].widget) is forms.NullBooleanSelect  # a subclass keeps Django's rendering
    html = str(form["later"])
    assert '<option value="x" selected>后设的选项</option>' in html
    assert form.fields["later"].widget.is_required and not form.fields["status"].widget.is_required
    assert 'class="form-select"' in str(form["status"]) and form.is_valid()
