"""Production posture that a template or setting change could silently break."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = ["templates", "surveys/templates", "evaluations/templates", "analytics/templates"]


def test_no_template_uses_inline_styles_or_scripts():
    # The Content-Security-Policy allows styles and scripts from this origin only.
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in (ROOT / folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if 'style="' in text or "<style" in text or "<script>" in text or "onclick=" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client, visit):
    page = client.get(visit.rating_link.get_absolute_url())
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page["X-Frame-Options"] == "DENY"


def test_deploy_checks_pass_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "-not-the-dev-key",
        "IP_HASH_SALT": "y" * 60 + "-its-own-key",
        "ALLOWED_HOSTS": "minping.example.org",
        "SITE_URL": "https://minping.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_numeric_only_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("3509012026113")
    validate_password("清溪-县 2026 人事")


def test_gunicorn_refuses_several_workers_on_a_per_process_cache(tmp_path):
    """Scenario: `gunicorn config.wsgi --workers 2` with DEBUG=0 and no REDIS_URL passed the
    deploy check (it sees only APP_SERVERS × WEB_CONCURRENCY), and one address made 20 wrong
    guesses instead of 10. The project's gunicorn.conf.py now stops such a start."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "-not-the-dev-key",
        "IP_HASH_SALT": "y" * 60 + "-its-own-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/g.sqlite3",
    }
    args = [str(gunicorn), "config.wsgi", "--bind", "127.0.0.1:8167"]
    two = subprocess.run(
        [*args, "--workers", "2"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert two.returncode == 1 and "REDIS_URL" in two.stderr
    one = subprocess.Popen(
        [*args, "--workers", "1"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            one.wait(timeout=4)  # a single worker starts and keeps serving
    finally:
        one.terminate()
        one.wait(timeout=30)
