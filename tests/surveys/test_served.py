"""The base URL the start-up commands print follows the port actually served."""

from surveys.served import lan_address, served_base


def test_served_base_rewrites_only_a_local_site_url(settings):
    settings.SITE_URL = "http://localhost:8000"
    assert served_base(port=8003) == "http://localhost:8003"
    assert served_base(port=None) == "http://localhost:8000"
    settings.SITE_URL = "https://minping.example.org"
    assert served_base(port=8003) == "https://minping.example.org"


def test_lan_address_is_none_or_not_loopback():
    address = lan_address()
    assert address is None or not address.startswith("127.")
