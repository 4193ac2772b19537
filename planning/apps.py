from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
                "plan_created": _("创建规划"),
                "plan_updated": _("修改规划"),
                "plan_version_added": _("上传规划新版本"),
                "plan_submitted_for_review": _("报送市信息化主管部门审核"),
                "plan_conformity_confirmed": _("审核通过"),
                "plan_returned": _("审核退回修改"),
                "plan_approved": _("登记批准"),
                "plan_published": _("公布实施"),
                "standard_registered": _("登记标准"),
                "standard_updated": _("修改标准"),
                "standard_withdrawn": _("废止标准"),
                "staff_training_recorded": _("登记电子政务培训"),
                "staff_assessment_recorded": _("登记信息化知识技能考核"),
                "commendation_recorded": _("登记表彰"),
                "achievement_recorded": _("登记信息化成果"),
                "recognition_published": _("公布"),
            }
        )
