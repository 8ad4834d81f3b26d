"""The layout cannot erode: apps depend one way (surveys <- evaluations <- analytics), inside
evaluations every feature may use `org` but `org` uses none of them, no module carries its
feature as a prefix, and the tests mirror the feature packages."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("surveys", "evaluations", "analytics")
# What each app must never import (SPEC §9: surveys <- evaluations <- analytics).
FORBIDDEN = {
    "surveys": ("evaluations", "analytics"),
    "evaluations": ("analytics",),
    "analytics": (),
}


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def named_modules(app: str):
    """Modules whose names a reader chooses: management commands are named for the command line."""
    for path in modules(app):
        if "management" not in path.parts:
            yield path


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def feature_packages(app: str) -> list[str]:
    return sorted(
        p.name
        for p in (ROOT / app).iterdir()
        if (p / "__init__.py").exists()
        and p.name not in {"management", "migrations", "templatetags"}
    )


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("app", APPS)
def test_apps_depend_one_way(app):
    back = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(app)
        for name in imported(path)
        if any(under(name, other) for other in FORBIDDEN[app])
    ]
    assert back == []


def test_org_uses_no_feature_package():
    features = [f"evaluations.{f}" for f in feature_packages("evaluations") if f != "org"]
    back = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules("evaluations/org")
        for name in imported(path)
        # evaluations.models re-exports every feature's models, so it counts as a back import.
        if name == "evaluations.models" or any(under(name, f) for f in features)
    ]
    assert back == []


def test_the_checks_catch_a_back_import(tmp_path):
    """The checks above read real imports, including ones inside functions."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from evaluations.cases import services\n    import analytics\n"
    )
    assert {"evaluations.cases", "evaluations.cases.services", "analytics"} <= imported(sample)


@pytest.mark.parametrize("app", APPS)
def test_no_module_carries_its_feature_as_a_prefix(app):
    prefixes = {f.rstrip("s") for f in feature_packages(app)} | {
        "case",
        "contact",
        "compliance",
        "demo",
        "ballot",
        "assessment",
        "appraisal",
        "roster",
    }
    flat = [
        str(path.relative_to(ROOT))
        for path in named_modules(app)
        if "_" in path.stem and path.stem.split("_")[0] in prefixes
    ]
    assert flat == []


@pytest.mark.parametrize("app", APPS)
def test_tests_mirror_the_feature_packages(app):
    missing = [
        f"tests/{app}/{feature}/"
        for feature in feature_packages(app)
        if not list((ROOT / "tests" / app / feature).glob("test_*.py"))
    ]
    assert missing == []
