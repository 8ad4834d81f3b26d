from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("四下基层与考评")

    def ready(self):
        from evaluations import case_hooks, describers
        from surveys import signals, subjects

        subjects.register(describers.describe_link)
        subjects.register(case_hooks.describe_case_link)
        subjects.register_follow_up(case_hooks.case_follow_up)
        signals.response_stored.connect(
            case_hooks.case_from_response, dispatch_uid="evaluations.case_from_response"
        )
