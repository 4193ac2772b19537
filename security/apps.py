from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "信息安全（第五章）"
