from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "监督检查与法律责任（第六、七章）"

    def ready(self):
        from enforcement import models, selectors
        from portal.selectors.core import attachment_subject_register
        from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS

        # Evidence attachments are downloadable by whoever may see the case.
        attachment_subject_register(models.Case, selectors.cases_visible_to)
        TIMELINE_ACTION_LABELS.update(
            {
                "finding_dismissed": "不予立案",
                "finding_case_opened": "立案",
                "case_registered": "立案",
                "case_investigating": "开始调查取证",
                "case_notified": "送达行政处罚事先告知书",
                "hearing_requested": "当事人申请听证",
                "hearing_scheduled": "安排听证",
                "hearing_held": "举行听证",
                "case_decided": "作出行政处罚决定",
                "case_served": "送达行政处罚决定书",
                "case_executing": "进入执行",
                "payment_recorded": "登记缴纳罚款",
                "reinspection_recorded": "责令改正后复查",
                "case_closed": "结案",
                "case_not_penalized": "不予行政处罚",
                "case_referred": "移送有关机关",
                "decision_published": "公开处罚决定",
                "case_revoked": "撤销处罚决定并撤回公开",
                "evidence_added": "添加证据材料",
                "inspection_recorded": "登记监督检查",
                "evaluation_recorded": "登记绩效考核",
                "service_evaluation_recorded": "登记服务评估",
            }
        )
