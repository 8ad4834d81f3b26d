"""How the resident's page learns what a link rates without the engine knowing cadres:
the app that owns a subject registers a describer in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from surveys.models import RatingLink, Response


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


@dataclass(frozen=True)
class FollowUp:
    """Something the resident keeps after submitting, e.g. a link to rate what follows."""

    text: str
    url: str

    @property
    def qr_path(self) -> str:
        """The QR code of `url` on this site (relative, so the page's own host serves it)."""
        return urlsplit(self.url).path + "qr.svg"


_follow_ups: list[Callable[[Response], FollowUp | None]] = []


def register_follow_up(provider: Callable[[Response], FollowUp | None]):
    if provider not in _follow_ups:
        _follow_ups.append(provider)
    return provider


def follow_ups(response: Response) -> list[FollowUp]:
    return [item for provider in _follow_ups if (item := provider(response)) is not None]
