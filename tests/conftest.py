import shutil
import subprocess
from pathlib import Path

import pytest

from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def ensure_tool(binary: str, package: str) -> str:
    """Debian tools the tests need are installed when missing; never skipped."""
    if shutil.which(binary) is None:
        subprocess.run(
            ["bash", str(ROOT / "scripts/ensure_debian_packages.sh"), package], check=True
        )
    path = shutil.which(binary)
    assert path, f"{binary} (Debian package {package}) is required and could not be installed"
    return path


@pytest.fixture(autouse=True)
def _test_settings(settings):
    from django.utils import translation

    from surveys import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "http://testserver"
    tasks.forget()  # link ids come again after a rollback: no scan known to wait from before
    yield
    translation.activate(settings.LANGUAGE_CODE)  # a request in English leaves it active


@pytest.fixture
def questionnaire(db):
    return factories.default_questionnaire()


@pytest.fixture
def visit(questionnaire):
    return factories.VisitFactory()


@pytest.fixture
def world(db):
    return factories.two_counties()
