"""Settings read from the environment fail loudly; `make run` prints where to go."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.env import env_bool, env_int, env_list, env_str


def test_env_readers_parse_and_fail_loudly(monkeypatch):
    monkeypatch.setenv("MP_FLAG", "yes")
    monkeypatch.setenv("MP_N", "12")
    monkeypatch.setenv("MP_HOSTS", "a.example, b.example,")
    assert env_bool("MP_FLAG") is True and env_int("MP_N", 1) == 12
    assert env_list("MP_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("MP_FLAG", "perhaps")
    monkeypatch.setenv("MP_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("MP_FLAG")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("MP_N", 1)
    monkeypatch.delenv("MP_MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        env_str("MP_MISSING")


@pytest.mark.django_db
def test_demo_urls_prints_a_rating_url_the_logins_and_reports(questionnaire, settings):
    from evaluations import demo

    demo.seed()
    out = io.StringIO()
    call_command("demo_urls", "--port", "8000", stdout=out)
    text = out.getvalue()
    assert f"{settings.SITE_URL}/r/" in text and "/staff/login/" in text
    assert demo.DEMO_PASSWORD in text and "zuzhibu" in text and "/staff/reports/" in text
