from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("四下基层与考评")

    def ready(self):
        from evaluations import describers
        from surveys import subjects

        subjects.register(describers.describe_link)
