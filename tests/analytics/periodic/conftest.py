import pytest

from tests.analytics.periodic.helpers import march_in


@pytest.fixture
def march(county):
    return march_in(county)
