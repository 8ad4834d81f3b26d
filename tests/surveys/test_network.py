"""The client address behind our proxies: believed only where our own proxy wrote it."""

from django.test import RequestFactory

from surveys.network import client_ip

rf = RequestFactory()


def _request(forwarded=None, remote="10.0.0.5"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **meta)


def test_without_a_configured_header_the_socket_address_counts(settings):
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(_request("6.6.6.6")) == "10.0.0.5"


def test_one_trusted_proxy_takes_the_entry_it_appended(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    # A phone that types its own header cannot choose its address: the proxy appends the real one.
    assert client_ip(_request("6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"


def test_two_proxies_and_a_missing_header(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    # Fewer entries than proxies: the request did not come through them; the socket address counts.
    assert client_ip(_request("203.0.113.7")) == "10.0.0.5"
    assert client_ip(_request()) == "10.0.0.5"
