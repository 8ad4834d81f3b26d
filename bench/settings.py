"""The project's settings with the bare baseline view added to the URL conf (bench/burst.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
