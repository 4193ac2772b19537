from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户核心"

    def ready(self) -> None:
        # Text input rules for every form and serializer field (control characters, default max length).
        from portal import validators

        validators.install()
        # field = ANY(ARRAY(SELECT …)): an object-permission subquery that keeps the scope on indexes.
        from portal import lookups

        lookups.install()
        # get_<field>_display that translates the label shown, not every choice (city-scale lists).
        from portal import displays

        displays.install()
        # Security audit log: sign-in, failure and lockout receivers.
        from portal.guard import audit  # noqa: F401
