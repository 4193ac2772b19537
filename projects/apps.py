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
        from projects.events import EVENT_ENUMS

        for events in EVENT_ENUMS:
            TIMELINE_ACTION_LABELS.update(events.choices)
