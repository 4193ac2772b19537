"""Give the authorities already on record their 机关代字 (editable afterwards on the organization page).

The city authority keeps 京经信 (京经信审、京经信罚); each district bureau gets its district's customary one-
character code + 经信. Only the first authority per district (and of the city) gets one: the code is unique.
"""

from django.db import migrations

CITY_CODE = "京经信"
DISTRICT_CODES = {
    "110101": "东经信",
    "110102": "西经信",
    "110105": "朝经信",
    "110106": "丰经信",
    "110107": "石经信",
    "110108": "海经信",
    "110109": "门经信",
    "110111": "房经信",
    "110112": "通经信",
    "110113": "顺经信",
    "110114": "昌经信",
    "110115": "兴经信",
    "110116": "怀经信",
    "110117": "平经信",
    "110118": "密经信",
    "110119": "延经信",
}


def seed(apps, schema_editor):
    Organization = apps.get_model("portal", "Organization")
    taken = set(Organization.objects.exclude(document_code="").values_list("document_code", flat=True))
    for org in Organization.objects.filter(kind="authority", document_code="").order_by("id"):
        code = CITY_CODE if org.level == "city" else DISTRICT_CODES.get(org.district, "")
        if code and code not in taken:
            org.document_code = code
            org.save(update_fields=["document_code"])
            taken.add(code)


class Migration(migrations.Migration):
    dependencies = [("portal", "0012_organization_document_code")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
