from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "信息资源（第三章）"

    def ready(self):
        from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS
        from resources import detectors
        from resources.detectors_disclosure import disclosure_ready

        disclosure_ready()

        detectors.register_all()
        TIMELINE_ACTION_LABELS.update(
            {
                "resource_created": _("登记信息资源"),
                "resource_imported": _("批量导入信息资源"),
                "resource_updated": _("修改信息资源"),
                "resource_submitted": _("提交发布审核"),
                "resource_published": _("审核发布"),
                "resource_returned": _("退回修改"),
                "resource_retired": _("撤销资源"),
                "resource_revised": _("修订新版本"),
                "resource_superseded": _("被新版本替代"),
                "resource_data_updated": _("登记数据更新"),
                "justification_accepted": _("重复采集理由成立"),
                "justification_rejected": _("重复采集理由不成立"),
                "sharing_requested": _("提出共享申请"),
                "sharing_agreed": _("同意共享"),
                "sharing_countered": _("提出修改意见"),
                "sharing_refused": _("拒绝共享"),
                "sharing_accepted": _("接受修改意见"),
                "sharing_revised": _("修改申请"),
                "sharing_escalated": _("报请主管部门协调"),
                "sharing_decided": _("作出协调决定"),
                "sharing_withdrawn": _("撤回申请"),
                "grant_created": _("生效共享授权"),
                "grant_revoked": _("撤销共享授权"),
            }
        )
