"""Every timeline action code of Chapter 2 and Arts. 29-30, with its label, in one enumeration.

Services record ``FilingEvent.SUBMITTED`` (never a string typed again); ``ProjectsConfig.ready`` hands the
labels to the timeline partial; tests and API clients read the same codes (``TimelineEvent.action``).
Codes are stable: they are stored with every event.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingEvent(models.TextChoices):
    CREATED = "filing_created", _("创建备案草稿")
    UPDATED = "filing_updated", _("修改备案")
    SUBMITTED = "filing_submitted", _("提交审查")
    REVIEW_STARTED = "review_started", _("受理并分派审查")
    CHECKLIST_SAVED = "checklist_saved", _("保存审查要点意见")
    RETURNED = "filing_returned", _("退回修改")
    APPROVED = "filing_approved", _("审查通过")
    APPROVED_WITH_CONDITIONS = "filing_approved_with_conditions", _("有条件通过")
    REJECTED = "filing_rejected", _("不予通过")
    APPROVAL_RECORDED = "approval_recorded", _("登记批复")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("申请竣工验收")
    ACCEPTANCE_PASSED = "acceptance_passed", _("验收合格")
    ACCEPTANCE_FAILED = "acceptance_failed", _("验收不合格")
    OPERATION_STARTED = "operation_started", _("投入使用")
    CONTRACTOR_ASSIGNED = "contractor_assigned", _("指定承建单位")
    CONTRACTOR_REFUSED = "contractor_refused", _("承建单位资质不符，拒绝指定")
    CONTRACTOR_UNQUALIFIED_FINDING = (
        "contractor_unqualified_finding",
        _("承建单位无相应资质承揽（第四十三条），已记录合规问题"),
    )
    CONTRACT_RECORDED = "contract_recorded", _("登记承建合同")
    ACCEPTANCE_ATTENDANCE_CONFIRMED = "acceptance_attendance_confirmed", _("主管部门确认出席验收")
    COMMENT = "comment", _("意见")


class RegisterEvent(models.TextChoices):
    QUALIFICATION_REGISTERED = "qualification_registered", _("登记资质证书")
    QUALIFICATION_VERIFIED = "qualification_verified", _("核验资质证书")
    APPLICATION_CREATED = "application_created", _("创建申请")
    APPLICATION_SUBMITTED = "application_submitted", _("提交申请")
    APPLICATION_APPROVED = "application_approved", _("审查同意")
    APPLICATION_REFUSED = "application_refused", _("不予同意")
    SYSTEM_CONNECTED = "system_connected", _("登记实际接入日期")
    PRIVATE_NETWORK_REGISTERED = "private_network_registered", _("登记专用网络")
    MIGRATION_STARTED = "migration_started", _("开始迁移")
    MIGRATION_COMPLETED = "migration_completed", _("完成迁移")


class PlanEvent(models.TextChoices):
    CREATED = "plan_created", _("制定年度计划")
    ITEM_ADDED = "plan_item_added", _("添加计划项目")
    ITEM_LINKED = "plan_item_linked", _("关联项目备案")
    ITEM_REMOVED = "plan_item_removed", _("移除计划项目")


EVENT_ENUMS = (FilingEvent, RegisterEvent, PlanEvent)
