from tests.analytics.conftest import county  # noqa: F401  (the two counties with a questionnaire)
