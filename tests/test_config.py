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


@pytest.mark.django_db
def test_demo_urls_follow_the_port_actually_served(questionnaire, settings):
    from evaluations import demo

    settings.SITE_URL = "http://127.0.0.1:8000"
    demo.seed()
    out = io.StringIO()
    call_command("demo_urls", "--port", "8001", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8001/r/" in text and "http://127.0.0.1:8001/staff/login/" in text
    assert "127.0.0.1:8000/r/" not in text and "/staff/login/" in text
    assert "set it to http://127.0.0.1:8001" in text  # the QR codes' SITE_URL is named


@pytest.mark.django_db
def test_demo_urls_tell_how_a_phone_on_the_network_opens_the_demo(
    questionnaire, settings, monkeypatch
):
    monkeypatch.setattr(
        "evaluations.management.commands.demo_urls.lan_address", lambda: "192.168.1.23"
    )
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    out = io.StringIO()
    call_command("demo_urls", "--host", "0.0.0.0", "--port", "8000", stdout=out)
    assert "ALLOWED_HOSTS=192.168.1.23,127.0.0.1,localhost" in out.getvalue()
    assert "SITE_URL=http://192.168.1.23:8000 make run" in out.getvalue()
    settings.ALLOWED_HOSTS = ["192.168.1.23", "127.0.0.1"]
    out = io.StringIO()
    call_command("demo_urls", "--host", "0.0.0.0", "--port", "8000", stdout=out)
    assert "From a phone on the same network: http://192.168.1.23:8000/" in out.getvalue()
    out = io.StringIO()
    call_command("demo_urls", "--port", "8000", stdout=out)
    assert "HOST=0.0.0.0 make run" in out.getvalue()
