from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("问卷与评价")

    def ready(self):
        from surveys.ballots import checks  # noqa: F401  registers the deploy check
