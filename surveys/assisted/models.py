"""The phones staff accounts sign in on, kept only as keyed hashes of our device cookie."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffDevice(models.Model):
    """A staff account was signed in on this phone (a keyed hash of the device cookie the
    resident page sets, surveys/devices.py). The rated cadre's phones rate nobody (issue 19 §4)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="staff_devices",
        verbose_name=_("账号"),
    )
    device_hash = models.CharField(_("设备标识哈希"), max_length=64, db_index=True)
    first_seen = models.DateTimeField(_("首次登录"), default=timezone.now)
    last_seen = models.DateTimeField(_("最近登录"), default=timezone.now)

    class Meta:
        verbose_name = _("工作人员设备")
        verbose_name_plural = _("工作人员设备")
        constraints = [
            models.UniqueConstraint(fields=["user", "device_hash"], name="one_row_per_staff_device")
        ]

    def __str__(self):
        return f"{self.user_id} {self.device_hash[:8]}"
