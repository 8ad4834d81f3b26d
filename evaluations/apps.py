from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("四下基层与考评")

    def ready(self):
        from django.db.models.signals import post_migrate

        from evaluations.cases import hooks as case_hooks
        from evaluations.org import roles
        from evaluations.visits import describers
        from surveys import signals, subjects
        from surveys.assisted import rated

        subjects.register(describers.describe_link)
        rated.register(describers.rated_accounts)
        rated.register_links(describers.links_rating)
        rated.register_scope(describers.grid_scope)
        # After every app's migrations (their permissions exist by then): the role groups.
        post_migrate.connect(roles.sync_roles, dispatch_uid="evaluations.sync_roles")
        subjects.register(case_hooks.describe_case_link)
        subjects.register_follow_up(case_hooks.case_follow_up)
        signals.response_stored.connect(
            case_hooks.case_from_response, dispatch_uid="evaluations.case_from_response"
        )
