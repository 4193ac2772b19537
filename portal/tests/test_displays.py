"""``get_<field>_display`` (portal.displays): the label of the value, the raw value when not a choice."""

from portal.models import District, Organization


def test_it_shows_the_label_of_the_stored_value_and_the_raw_value_otherwise():
    organization = Organization(district=District.HAIDIAN)
    assert organization.get_district_display() == "海淀区"
    organization.district = "999999"
    assert organization.get_district_display() == "999999"
    organization.district = ""
    assert organization.get_district_display() == ""
