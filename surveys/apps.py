from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("问卷与评价")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from surveys.assisted.devices import signed_in
        from surveys.ballots import checks  # noqa: F401  registers the deploy check

        user_logged_in.connect(signed_in, dispatch_uid="surveys.staff_device")
