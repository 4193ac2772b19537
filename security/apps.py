from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "信息安全（第五章）"

    def ready(self):
        from portal.selectors.core import attachment_subject_register
        from security import detectors, models, selectors

        detectors.register_all()
        # Evaluation reports download only for those who may see the evaluation.
        attachment_subject_register(models.Evaluation, selectors.evaluations_visible_to)

        from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS

        TIMELINE_ACTION_LABELS.update(
            {
                "system_registered": _("登记信息系统"),
                "system_graded": _("定级"),
                "grading_created": _("定级"),
                "grading_revised": _("修改定级"),
                "grading_submitted": _("提交备案"),
                "grading_supervisor_approved": _("主管部门审核同意"),
                "grading_approved": _("准予备案"),
                "grading_returned": _("退回修改"),
                "grading_superseded": _("被新备案取代"),
                "evaluation_recorded": _("登记等级测评"),
                "rectification_recorded": _("登记整改"),
                "emergency_plan_created": _("登记应急预案"),
                "drill_recorded": _("登记应急演练"),
                "incident_reported": _("报告安全事件"),
                "incident_follow_up": _("续报"),
                "incident_handled": _("处置结束"),
                "incident_closed": _("提交总结报告"),
                "bulletin_issued": _("发布通报"),
                "bulletin_acknowledged": _("确认收到通报"),
                "bulletin_reminded": _("催办"),
            }
        )
