"""One-time ballot codes (一人一码): format, check character, keyed hash.

A code is 10 characters from a 31-character alphabet without the look-alikes 0/O and 1/I/L,
printed as two groups of five (``K7QM3-XR9TC``). The first two name the box (`box_tag`, a keyed
hash of its id, so that a wrong guess counts against the box it aims at), the next seven are
random (31⁷ ≈ 2.75·10¹⁰, about 34.7 bits within one box); the tenth is a check character: the
weighted sum Σ i·vᵢ (i = 1…10) is ≡ 0
mod 31. Because 31 is prime and the weights 1…10 are distinct and non-zero mod 31, every single
wrong character and every transposition of two different characters (adjacent or not) breaks
the sum (the pure-system principle of ISO 7064), so a typo is caught before it is looked up.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 31, a prime
LENGTH = 10
GROUP = 5
VALUES = {c: i for i, c in enumerate(ALPHABET)}
LOOKALIKES = set("01OIL")
SEPARATORS = str.maketrans("", "", " -_.\u3000")


class CodeFormatError(ValueError):
    """`kind` is 'length', 'lookalike', 'character' or 'check'."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


def _weighted_sum(chars: str) -> int:
    return sum((i + 1) * VALUES[c] for i, c in enumerate(chars)) % MODULUS


def check_character(body: str) -> str:
    """The tenth character that makes the weighted sum of all ten ≡ 0 (mod 31)."""
    partial = _weighted_sum(body)
    inverse = pow(LENGTH, -1, MODULUS)
    return ALPHABET[(-partial * inverse) % MODULUS]


TAG_LENGTH = 2  # 31² = 961 tags: boxes open at the same time rarely share one


def box_tag(box_id: int) -> str:
    """The two characters that start every code of a box: keyed, so they tell an outsider
    nothing about the box's id. Two boxes sharing a tag share only a guess counter."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"ballot-box:%d" % box_id, hashlib.sha256)
    number = int.from_bytes(digest.digest()[:8], "big")
    return "".join(ALPHABET[(number // MODULUS**i) % MODULUS] for i in range(TAG_LENGTH))


def tag_of(code: str) -> str:
    """The box tag a normalised code claims (whether or not such a code exists)."""
    return code[:TAG_LENGTH]


def new_code(tag: str = "") -> str:
    body = tag + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH - 1 - len(tag)))
    return body + check_character(body)


def normalize(text: str) -> str:
    """Upper-case, without spaces or dashes; raise CodeFormatError on anything else wrong."""
    code = (text or "").upper().translate(SEPARATORS)
    if len(code) != LENGTH:
        raise CodeFormatError("length")
    if LOOKALIKES & set(code):
        raise CodeFormatError("lookalike")
    if not set(code) <= VALUES.keys():
        raise CodeFormatError("character")
    if _weighted_sum(code) != 0:
        raise CodeFormatError("check")
    return code


def is_well_formed(text: str) -> bool:
    try:
        normalize(text)
    except CodeFormatError:
        return False
    return True


def display(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """What the database keeps: an HMAC of the normalised code keyed with SECRET_KEY."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"ballot-code:" + code.encode(), hashlib.sha256).hexdigest()
