from django.apps import AppConfig


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
                "resource_created": "登记信息资源",
                "resource_imported": "批量导入信息资源",
                "resource_updated": "修改信息资源",
                "resource_submitted": "提交发布审核",
                "resource_published": "审核发布",
                "resource_returned": "退回修改",
                "resource_retired": "撤销资源",
                "resource_revised": "修订新版本",
                "resource_superseded": "被新版本替代",
                "resource_data_updated": "登记数据更新",
                "justification_accepted": "重复采集理由成立",
                "justification_rejected": "重复采集理由不成立",
                "sharing_requested": "提出共享申请",
                "sharing_agreed": "同意共享",
                "sharing_countered": "提出修改意见",
                "sharing_refused": "拒绝共享",
                "sharing_accepted": "接受修改意见",
                "sharing_revised": "修改申请",
                "sharing_escalated": "报请主管部门协调",
                "sharing_decided": "作出协调决定",
                "sharing_withdrawn": "撤回申请",
                "grant_created": "生效共享授权",
                "grant_revoked": "撤销共享授权",
            }
        )
