"""Data: the catalog's top classification levels (编制指南) and the base databases Art. 18 names."""

from django.db import migrations

# 编制指南（试行）: 基础 / 主题 / 部门 信息资源类, with their first 项.
CLASSIFICATIONS = [
    ("1", "基础信息资源类", 1, ""),
    ("101", "人口基础信息", 2, "1"),
    ("102", "法人单位基础信息", 2, "1"),
    ("103", "自然资源和地理空间基础信息", 2, "1"),
    ("104", "宏观经济基础信息", 2, "1"),
    ("2", "主题信息资源类", 1, ""),
    ("201", "交通运输", 2, "2"),
    ("202", "教育文化", 2, "2"),
    ("203", "医疗卫生", 2, "2"),
    ("204", "社会保障", 2, "2"),
    ("205", "市场监管", 2, "2"),
    ("3", "部门信息资源类", 1, ""),
    ("301", "市级部门", 2, "3"),
    ("302", "区级部门", 2, "3"),
]
BASE_DATABASES = [
    ("population", "人口基础数据库"),
    ("legal_person", "法人单位基础数据库"),
    ("geospatial", "自然资源和地理空间基础数据库"),
    ("macro_economy", "宏观经济基础数据库"),
]


def load(apps, schema_editor):
    Classification = apps.get_model("resources", "Classification")
    BaseDatabase = apps.get_model("resources", "BaseDatabase")
    by_code = {}
    for code, name, level, parent in CLASSIFICATIONS:
        by_code[code], _ = Classification.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": by_code.get(parent)}
        )
    for code, name in BASE_DATABASES:
        BaseDatabase.objects.get_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("resources", "BaseDatabase").objects.filter(code__in=[c for c, _ in BASE_DATABASES]).delete()
    Classification = apps.get_model("resources", "Classification")
    for code, *_ in reversed(CLASSIFICATIONS):
        Classification.objects.filter(code=code, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
