from django.db import migrations

ROLES = [
    "authority_official", "authority_reviewer", "district_official", "agency_clerk", "agency_manager",
    "enforcement_officer", "department_liaison", "public_enterprise_clerk", "contractor_clerk",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_timeline_append_only"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
