"""The working-day calendar: one row per day of every loaded year (statutory holidays and 调休).

A year is either loaded completely (every one of its days has a row) or not at all; the loader in
``portal.services.calendar`` guarantees it. ``portal.workdays`` reads these rows and refuses to
guess about a year that is not loaded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    PACKAGE = "chinesecalendar", _("chinesecalendar 软件包")
    UPLOAD = "upload", _("管理员导入（国务院办公厅通知）")
    # Weekends only, for demo and development data when the State Council has not yet published (or
    # the portal has not yet loaded) a year. Refused under production settings: law never guesses.
    PROVISIONAL = "provisional", _("临时日历（仅按周末安排，仅限演示环境）")


class CalendarYear(models.Model):
    """A loaded year: who loaded it from what. Its days are ``CalendarDay`` rows."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=20, choices=CalendarSource.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """Whether one date is a working day. Weekends are rest days unless made up (调休上班)."""

    day = models.DateField(_("日期"), primary_key=True)
    year = models.ForeignKey(
        CalendarYear, verbose_name=_("年份"), on_delete=models.CASCADE, related_name="days", db_column="year"
    )
    is_working_day = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=60, blank=True, help_text=_("如“春节”“调休上班（春节）”。"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_working_day else '休息日'}"
