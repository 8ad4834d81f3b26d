"""The device cookie: issued and signed by us, so a value the client invents counts as none.

One response per device per link rests on it (SPEC §4). A phone that clears its cookies gets a
new device, which is why the integrity checks look at how tickets are redeemed as well."""

import secrets

from django.conf import settings

DEVICE_SALT = "surveys.device"


def new_device_id() -> str:
    # 16 random bytes: 22 URL-safe characters, never guessed or reused by chance.
    return secrets.token_urlsafe(16)


def device_of(request) -> str | None:
    """The device id from a cookie we signed; an unsigned, altered or foreign value is None."""
    value = request.get_signed_cookie(settings.DEVICE_COOKIE_NAME, default=None, salt=DEVICE_SALT)
    if value is None or not 20 <= len(value) <= 32:
        return None
    return value if value.replace("-", "").replace("_", "").isalnum() else None


def remember_device(response, device_id: str) -> None:
    response.set_signed_cookie(
        settings.DEVICE_COOKIE_NAME,
        device_id,
        salt=DEVICE_SALT,
        max_age=settings.DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
