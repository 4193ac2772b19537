"""The security audit log and password history (issue 8: MLPS level 3 for the portal itself)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号或地址锁定")
    LOGOUT = "logout", _("退出登录")
    OTP_ENROLLED = "otp_enrolled", _("启用双因素认证")
    OTP_VERIFIED = "otp_verified", _("双因素认证通过")
    OTP_FAILED = "otp_failed", _("双因素认证失败")
    OTP_RECOVERY_USED = "otp_recovery_used", _("使用恢复码")
    OTP_RECOVERY_REGENERATED = "otp_recovery_regenerated", _("重新生成恢复码")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    SESSION_EXPIRED = "session_expired", _("会话到期")
    PERMISSION_DENIED = "permission_denied", _("越权访问被拒绝")
    DOWNLOAD = "download", _("下载或导出")
    TOKEN_ISSUED = "token_issued", _("签发 API 令牌")


class SecurityEvent(models.Model):
    """One security-relevant event. Append-only: a trigger refuses UPDATE, and DELETE of any row younger
    than six months (网络安全法 Art. 21), so even the purge task cannot remove what must be kept.

    Personal data is limited to what an investigation needs: the account, the address, the path.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    kind = models.CharField(_("事件"), max_length=40, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,  # the row outlives the account: no FK constraint, never updated
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    method = models.CharField(_("方法"), max_length=10, blank=True)
    path = models.CharField(_("路径"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("安全审计事件")
        verbose_name_plural = _("安全审计事件")
        ordering = ["-at", "-id"]
        permissions = [("export_securityevent", _("导出安全审计日志"))]
        indexes = [
            models.Index(fields=["-at", "-id"], name="securityevent_at_idx"),
            models.Index(fields=["kind", "-at"], name="securityevent_kind_idx"),
            models.Index(fields=["username", "-at"], name="securityevent_username_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords, so a new password cannot repeat one of them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="passwordhistory_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
