from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户核心"

    def ready(self) -> None:
        # Text input rules for every form and serializer field (control characters, default max length).
        from portal import validators

        validators.install()
        # Security audit log: sign-in, failure and lockout receivers.
        from portal.guard import audit  # noqa: F401
