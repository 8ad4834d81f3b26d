"""Settings read from the environment fail loudly; `make run` prints where to go."""

import io
import re

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
    # Every demo account is named, the grid worker too (issue 19 §4).
    assert all(username in text for username, *_rest in demo.ACCOUNTS)
    # The grid worker's URL is one she may help on: a visit to her own grid.
    from evaluations.models import Visit

    token = re.search(r"/r/(\w+)/assist/", text).group(1)
    assert Visit.objects.get(rating_link__token=token).target_unit.code == demo.GRID_UNIT


def test_replica_router_moves_only_report_reads(monkeypatch, settings):
    from config.routers import REPLICA, ReplicaRouter, replica_reads
    from surveys.models import Response

    router = ReplicaRouter()
    assert router.db_for_read(Response) is None
    with replica_reads():
        assert router.db_for_read(Response) is None  # no replica configured
    monkeypatch.setitem(settings.DATABASES, REPLICA, {})
    with replica_reads():
        assert router.db_for_read(Response) == REPLICA
        assert router.db_for_write(Response) is None
    assert router.db_for_read(Response) is None
    assert router.allow_migrate(REPLICA, "surveys") is False


@pytest.mark.django_db
def test_report_reads_go_through_the_router(monkeypatch):
    """The dashboard's reads ask the router inside replica_reads (so they reach a replica)."""
    from analytics import reports
    from analytics.frames import SYSTEM
    from config import routers

    seen = []
    original = routers.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append(routers._reports.get())
        return original(self, model, **hints)

    monkeypatch.setattr(routers.ReplicaRouter, "db_for_read", spy)
    reports.dashboard(SYSTEM, year=2026, with_charts=False)
    assert seen and all(seen)


def test_database_replica_url_adds_a_mirrored_replica():
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": "postgres://app@primary:5432/minping",
        "DATABASE_REPLICA_URL": "postgres://app@replica:5432/minping",
        "DB_POOL": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "r = s.DATABASES['replica']; print(json.dumps([r['HOST'], r['TEST'], "
        "'pool' in r['OPTIONS'], s.DATABASE_ROUTERS]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    host, test, pooled, routers = json.loads(out.stdout)
    assert host == "replica" and test["MIRROR"] == "default" and pooled
    assert routers == ["config.routers.ReplicaRouter"]


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


@pytest.mark.parametrize(
    ("ip_key", "accepted"),
    [(None, False), ("k" * 60 + "-secret", False), ("h" * 60 + "-its-own", True)],
)
def test_production_needs_its_own_ip_hash_key(ip_key, accepted):
    """Issue 14 §11: the key of the address and device hashes is its own secret, required with
    DEBUG=0 and never SECRET_KEY (whoever holds one must not hold the other)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "IP_HASH_SALT"}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 60 + "-secret",
        "ALLOWED_HOSTS": "minping.example.org",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if ip_key is not None:
        env["IP_HASH_SALT"] = ip_key
    code = "import django; django.setup(); from django.conf import settings; settings.IP_HASH_SALT"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (result.returncode == 0) is accepted, result.stderr[-400:]
    if not accepted:
        assert "IP_HASH_SALT" in result.stderr
