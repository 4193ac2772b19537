from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
                "finding_dismissed": _("不予立案"),
                "finding_case_opened": _("立案"),
                "case_registered": _("立案"),
                "case_investigating": _("开始调查取证"),
                "case_notified": _("送达行政处罚事先告知书"),
                "hearing_requested": _("当事人申请听证"),
                "hearing_scheduled": _("安排听证"),
                "hearing_held": _("举行听证"),
                "case_decided": _("作出行政处罚决定"),
                "case_served": _("送达行政处罚决定书"),
                "case_executing": _("进入执行"),
                "payment_recorded": _("登记缴纳罚款"),
                "reinspection_recorded": _("责令改正后复查"),
                "case_closed": _("结案"),
                "case_not_penalized": _("不予行政处罚"),
                "case_referred": _("移送有关机关"),
                "decision_published": _("公开处罚决定"),
                "case_revoked": _("撤销处罚决定并撤回公开"),
                "evidence_added": _("添加证据材料"),
                "inspection_recorded": _("登记监督检查"),
                "evaluation_recorded": _("登记绩效考核"),
                "service_evaluation_recorded": _("登记服务评估"),
            }
        )
