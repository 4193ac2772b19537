from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "规划、标准与机关信息化管理（第一章，第二十八、三十一、四十条）"

    def ready(self):
        from planning import models, selectors
        from portal.selectors.core import attachment_subject_register

        # Plan documents are attachments of a version: downloads follow the plan's visibility.
        attachment_subject_register(models.PlanVersion, selectors.plan_versions_visible_to)

        from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS

        TIMELINE_ACTION_LABELS.update(
            {
                "plan_created": "创建规划",
                "plan_updated": "修改规划",
                "plan_version_added": "上传规划新版本",
                "plan_submitted_for_review": "报送市信息化主管部门审核",
                "plan_conformity_confirmed": "审核通过",
                "plan_returned": "审核退回修改",
                "plan_approved": "登记批准",
                "plan_published": "公布实施",
                "standard_registered": "登记标准",
                "standard_updated": "修改标准",
                "standard_withdrawn": "废止标准",
                "staff_training_recorded": "登记电子政务培训",
                "staff_assessment_recorded": "登记信息化知识技能考核",
                "commendation_recorded": "登记表彰",
                "achievement_recorded": "登记信息化成果",
                "recognition_published": "公布",
            }
        )
