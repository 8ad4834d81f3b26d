from tests.surveys.paper.conftest import clerks  # noqa: F401  (three accounts that enter sheets)
