from django.apps import AppConfig


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
                "system_registered": "登记信息系统",
                "system_graded": "定级",
                "grading_created": "定级",
                "grading_revised": "修改定级",
                "grading_submitted": "提交备案",
                "grading_supervisor_approved": "主管部门审核同意",
                "grading_approved": "准予备案",
                "grading_returned": "退回修改",
                "grading_superseded": "被新备案取代",
                "evaluation_recorded": "登记等级测评",
                "rectification_recorded": "登记整改",
                "emergency_plan_created": "登记应急预案",
                "drill_recorded": "登记应急演练",
                "incident_reported": "报告安全事件",
                "incident_follow_up": "续报",
                "incident_handled": "处置结束",
                "incident_closed": "提交总结报告",
                "bulletin_issued": "发布通报",
                "bulletin_acknowledged": "确认收到通报",
                "bulletin_reminded": "催办",
            }
        )
