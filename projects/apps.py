from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "信息化工程（第二章）"

    def ready(self):
        from portal.selectors.core import attachment_subject_register
        from projects import models, selectors

        # Downloads of filing documents and certificate scans stay scoped like the objects themselves.
        attachment_subject_register(models.ProjectFiling, selectors.filings_visible_to)
        attachment_subject_register(models.Qualification, selectors.qualifications_visible_to)

        from projects.detectors import register_all

        register_all()

        from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS

        TIMELINE_ACTION_LABELS.update(
            {
                "filing_created": "创建备案草稿",
                "filing_updated": "修改备案",
                "filing_submitted": "提交审查",
                "review_started": "受理并分派审查",
                "checklist_saved": "保存审查要点意见",
                "filing_returned": "退回修改",
                "filing_approved": "审查通过",
                "filing_approved_with_conditions": "有条件通过",
                "filing_rejected": "不予通过",
                "approval_recorded": "登记批复",
                "acceptance_requested": "申请竣工验收",
                "acceptance_passed": "验收合格",
                "acceptance_failed": "验收不合格",
                "operation_started": "投入使用",
                "contractor_assigned": "指定承建单位",
                "contractor_refused": "承建单位资质不符，拒绝指定",
                "comment": "意见",
                "qualification_registered": "登记资质证书",
                "application_created": "创建申请",
                "application_submitted": "提交申请",
                "application_approved": "审查同意",
                "application_refused": "不予同意",
                "private_network_registered": "登记专用网络",
                "migration_started": "开始迁移",
                "migration_completed": "完成迁移",
                "plan_created": "制定年度计划",
                "plan_item_added": "添加计划项目",
                "plan_item_linked": "关联项目备案",
                "plan_item_removed": "移除计划项目",
            }
        )
