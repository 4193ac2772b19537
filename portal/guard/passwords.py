"""Password rules of a level-3 system beyond Django's own validators: length (message), character classes,
no reuse."""

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its error in the portal's catalog: Django 5.2 reworded the message and its Chinese
    catalog still has the old wording, so a Chinese page answered a short password in English."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须至少包含小写字母、大写字母、数字、符号中的 %(n)d 类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号中的 %(n)d 类。") % {"n": self.min_classes}


class PasswordHistoryValidator:
    """The new password may not be the current one or any of the last ``history`` ones."""

    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from portal.models import PasswordHistory

        previous = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.history])
        if user.password:
            previous.append(user.password)
        if any(check_password(password, encoded) for encoded in previous):
            raise ValidationError(
                _("新密码不得与最近 %(n)d 次使用过的密码相同。") % {"n": self.history}, code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:
        """Called by Django after a password is set through the validators (forms, set_password + save)."""
        if user is None or user.pk is None or not user.password:
            return
        from portal.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("id", flat=True)[: self.history]
        PasswordHistory.objects.filter(user=user).exclude(id__in=list(keep)).delete()
        if len(keep) > 1:  # not the account's first password
            from rest_framework.authtoken.models import Token

            from portal.guard.audit import security_event_record
            from portal.models import SecurityEventKind

            # Sessions end by themselves (their hash no longer matches the password); the API token was had
            # with the old password too, so it ends with it, and the agency system asks for a new one.
            revoked, _ = Token.objects.filter(user=user).delete()
            security_event_record(SecurityEventKind.PASSWORD_CHANGED, user=user, tokens_revoked=revoked)

    def get_help_text(self) -> str:
        return _("不得重复使用最近 %(n)d 次的密码。") % {"n": self.history}
