from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "信息资源（第三章）"

    def ready(self):
        from resources.detectors_disclosure import disclosure_ready

        disclosure_ready()
