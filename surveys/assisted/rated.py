"""Who a link rates, as staff accounts, without the engine knowing cadres: the app that owns a
subject registers a provider in its AppConfig.ready() (like surveys.subjects)."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Q

from surveys.models import RatingLink

_providers: list[Callable[[RatingLink], Q]] = []


def register(provider: Callable[[RatingLink], Q]):
    """`provider(link)`: a condition on user accounts that holds for the accounts it rates."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


_link_providers: list[Callable[[object], Q]] = []


def register_links(provider: Callable[[object], Q]):
    """`provider(user)`: a condition on rating links that holds for the links rating `user`."""
    if provider not in _link_providers:
        _link_providers.append(provider)
    return provider


def links_rating(user):
    """The rating links that rate this account (a lazy queryset)."""
    condition = Q(pk__in=[])
    for provider in _link_providers:
        condition |= provider(user)
    return RatingLink.objects.filter(condition).distinct()


def is_rated(link: RatingLink, user) -> bool:
    """Whether `user` is one of the people the link rates."""
    return rated_accounts(link).filter(pk=user.pk).exists()


def rated_accounts(link: RatingLink):
    """The accounts of the people the link rates (a lazy queryset, used as a subquery)."""
    condition = Q(pk__in=[])
    for provider in _providers:
        condition |= provider(link)
    return get_user_model().objects.filter(condition).values("pk")


_scopes: list[Callable[[RatingLink, object], bool | None]] = []


def register_scope(provider: Callable[[RatingLink, object], bool | None]):
    """`provider(link, user)`: False when `user` may not help rate `link` (outside the part of
    the country the helper serves), None when the provider has no say."""
    if provider not in _scopes:
        _scopes.append(provider)
    return provider


def outside_scope(link: RatingLink, user) -> bool:
    """Whether a registered provider says `user` may not help on `link`."""
    return any(provider(link, user) is False for provider in _scopes)
