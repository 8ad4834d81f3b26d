"""Items that apps above `evaluations` add to the to-do page (analytics: grades to confirm),
registered from their AppConfig.ready() so that evaluations never imports them."""

from collections.abc import Callable

# section ("personnel", "secretary", "discipline") -> functions (user, today) -> list of Item
PROVIDERS: dict[str, list[Callable]] = {}


def register(section: str, provider: Callable) -> None:
    if provider not in PROVIDERS.setdefault(section, []):
        PROVIDERS[section].append(provider)
