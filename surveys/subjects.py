"""How the resident's page learns what a link rates without the engine knowing cadres:
the app that owns a subject registers a describer in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass, field

from surveys.models import RatingLink


@dataclass(frozen=True)
class Subject:
    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) pairs
    poster_lines: list[str] = field(default_factory=list)


_describers: list[Callable[[RatingLink], Subject | None]] = []


def register(describer: Callable[[RatingLink], Subject | None]):
    if describer not in _describers:
        _describers.append(describer)
    return describer


def describe(link: RatingLink) -> Subject:
    for describer in _describers:
        subject = describer(link)
        if subject is not None:
            return subject
    return Subject(heading=link.title)
