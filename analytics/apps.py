from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("统计分析")

    def ready(self):
        from analytics.assessment.todo import grades_to_confirm
        from evaluations.todo.registry import register

        register("personnel", grades_to_confirm)
