"""The roles of SPEC §1 as Django groups with model permissions (used by the admin site; the
staff pages also check the role and narrow every query to the user's jurisdiction)."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

OUR_APPS = ("surveys", "evaluations", "analytics")

# role -> {"app.model": actions}; "*" as the model means every model of our apps.
ROLE_PERMISSIONS = {
    "cadre": {"evaluations.visit": ("view", "add", "change"), "evaluations.case": ("view", "add")},
    "secretary": {
        "evaluations.appraisalsession": ("view", "add", "change"),
        "evaluations.appraisalsubject": ("view", "add", "change"),
        "evaluations.ratergroup": ("view", "add", "change"),
        "evaluations.appraisallog": ("view",),
    },
    "personnel": {
        "*": ("view",),
        **{
            f"evaluations.{model}": ("view", "add", "change")
            for model in (
                "orgunit",
                "cadre",
                "tenure",
                "policyruleset",
                "quotarule",
                "contactrequirement",
                "rulesetassignment",
                "contactpoint",
                "assessmentcycle",
                "caprule",
                "assessmentdecision",
            )
        },
    },
    "discipline": {
        f"{app}.{model}": ("view",)
        for app, model in (
            ("surveys", "response"),
            ("surveys", "reviewdecision"),
            ("evaluations", "case"),
            ("evaluations", "caseevent"),
            ("evaluations", "visit"),
            ("evaluations", "cadre"),
        )
    },
    "admin": {"*": ("view", "add", "change", "delete")},
    # Grid workers only help residents rate on the resident's page (issue 19 §4).
    "grid": {},
}


def _permissions(spec: dict):
    wanted = set()
    for target, actions in spec.items():
        if target == "*":
            models = [m for app in OUR_APPS for m in global_apps.get_app_config(app).get_models()]
            wanted |= {
                (m._meta.app_label, f"{a}_{m._meta.model_name}") for m in models for a in actions
            }
        else:
            app, model = target.split(".")
            wanted |= {(app, f"{action}_{model}") for action in actions}
    return Permission.objects.filter(
        content_type__app_label__in=OUR_APPS,
        codename__in={codename for _app, codename in wanted},
    ).select_related("content_type")


def sync_roles(**kwargs) -> None:
    """Create the role groups and give them exactly their permissions (idempotent)."""
    for role, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(spec))
