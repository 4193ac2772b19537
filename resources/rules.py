"""Legal limits of Chapter 3's catalog and sharing (Arts. 17, 18, 21, 22, 46), each with its source.

Shown on screen as "Art. N". The vocabularies follow 政务信息资源目录编制指南（试行）(2017) and
《政务信息资源共享管理暂行办法》(国发〔2016〕51号).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareType(models.TextChoices):
    """国发〔2016〕51号 Art. 5: every resource (and every item) is one of three share types."""

    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NONE = "none", _("不予共享")


class OpenAttribute(models.TextChoices):
    OPEN = "open", _("向社会开放")
    CONDITIONAL = "conditional", _("有条件开放")
    CLOSED = "closed", _("不予开放")


class ShareMethod(models.TextChoices):
    INTERFACE = "interface", _("接口")
    FILE = "file", _("文件")
    QUERY = "query", _("查询")


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    IRREGULAR = "irregular", _("不定期")


# Art. 17 ("定期进行信息更新"): how long after its last actual update a resource counts as stale, per
# declared cycle. A grace of a few days covers weekends; real-time feeds are stale after a day without
# data; irregular resources are never stale by the calendar.
STALE_AFTER_DAYS: dict[str, int | None] = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 3,
    UpdateCycle.WEEKLY: 10,
    UpdateCycle.MONTHLY: 35,
    UpdateCycle.QUARTERLY: 100,
    UpdateCycle.HALF_YEARLY: 190,
    UpdateCycle.YEARLY: 380,
    UpdateCycle.IRREGULAR: None,
}


def stale_after(cycle: str, last_updated: date | None) -> date | None:
    """The day after which a resource last updated on ``last_updated`` is stale (None: never)."""
    days = STALE_AFTER_DAYS.get(cycle)
    if days is None or last_updated is None:
        return None
    return last_updated + timedelta(days=days)


class ResourceFormat(models.TextChoices):
    DATABASE = "database", _("数据库")
    FILE = "file", _("电子文件")
    SPREADSHEET = "spreadsheet", _("电子表格")
    IMAGE = "image", _("图形图像")
    STREAM = "stream", _("流媒体")
    INTERFACE = "interface", _("接口服务")
    OTHER = "other", _("其他")


class DataType(models.TextChoices):
    """编制指南 Table 2: data types of an information item."""

    STRING = "C", _("字符型")
    NUMBER = "N", _("数值型")
    DATE = "D", _("日期型")
    DATETIME = "T", _("日期时间型")
    BOOLEAN = "B", _("布尔型")
    BINARY = "BY", _("二进制")


class ClassificationLevel(models.IntegerChoices):
    """编制指南: 类 / 项 / 目 / 细目."""

    CATEGORY = 1, _("类")
    ITEM = 2, _("项")
    SUBITEM = 3, _("目")
    DETAIL = 4, _("细目")


# 国发〔2016〕51号 Art. 5: conditional and non-shared resources must name their legal basis.
BASIS_REQUIRED_SHARE_TYPES = (ShareType.CONDITIONAL, ShareType.NONE)
BASIS_REQUIRED_MESSAGE = "有条件共享或不予共享的资源必须写明法律、法规、规章或政策依据（国发〔2016〕51号第五条）。"
CONDITION_REQUIRED_MESSAGE = "有条件共享的资源必须写明共享条件（国发〔2016〕51号第五条）。"
# An item may not be more open than its resource allows to be shared at all.
ITEM_SHARE_RANK = {ShareType.UNCONDITIONAL: 0, ShareType.CONDITIONAL: 1, ShareType.NONE: 2}

# Art. 21 + 国发〔2016〕51号 Art. 13: unconditional resources are shared on request; refusing is unlawful.
UNCONDITIONAL_REFUSAL = "无条件共享的信息资源不得拒绝共享（第二十一条；国发〔2016〕51号第十三条）。"
# Art. 18 para. 2: builders of a base database provide sharing to agencies unless it is a state secret.
BASE_DATABASE_REFUSAL = "基础数据库的建设单位应当为本市国家机关提供信息共享服务，除涉及国家秘密外不得拒绝（第十八条）。"


def sharing_reply_working_days() -> int:
    """Art. 21; 国发〔2016〕51号 Art. 13: the provider answers a request within 10 working days (setting)."""
    return settings.RESOURCE_SHARING_REPLY_WORKING_DAYS


# A grant's parties are told this many days before it ends (the daily task sends it once, on that day).
GRANT_EXPIRY_REMINDER_DAYS = 14


# Bulk registration through the API and the agency's import page (one batch, all or nothing).
BULK_MAX_RESOURCES = 10_000
BULK_MAX_ITEMS_PER_RESOURCE = 500
# A batch larger than this is imported by a Celery task with progress shown on the page.
BULK_INLINE_MAX = 2_000

# Duplicate collection (Arts. 17, 46(1)): how many matches are shown, and the least overlap that counts.
DUPLICATE_MATCHES_SHOWN = 5
DUPLICATE_MIN_OVERLAP_ITEMS = 2
# An item key held by more than this many published resources is "common" (姓名, 身份证号…): it
# counts towards the overlap score but does not by itself make a resource a candidate.
DUPLICATE_COMMON_ITEM_RESOURCES = 1_000
DUPLICATE_JUSTIFICATION_MIN_LENGTH = 10
# The same rule on the registration page, which names the field by its label, not by its API name.
DUPLICATE_JUSTIFICATION_NEEDED = (
    f"请写明重复采集的正当理由（不少于{DUPLICATE_JUSTIFICATION_MIN_LENGTH}字），或删去与已发布资源重复的信息项"
    "（第十七条）。没有正当理由重复采集的，由信息化主管部门通报批评（第四十六条第一项）。"
)
DUPLICATE_REFUSAL = (
    "与已发布的信息资源存在重复采集（第十七条）：请说明重复采集的正当理由（duplicate_justification），"
    "或删去重复的信息项。没有正当理由重复采集的，由信息化主管部门通报批评（第四十六条第一项）。"
)
