"""Reads of ballot boxes for the voters' pages."""

from surveys.ballots.models import BallotBox, Receipt, display_receipt


def published_receipts(box: BallotBox) -> list[str] | None:
    """The receipts of a closed box, in the random order of their values (never the order of
    voting); None while the box is open, so nothing is published before the count."""
    if not box.is_closed:
        return None
    values = Receipt.objects.filter(box=box).order_by("value").values_list("value", flat=True)
    return [display_receipt(v) for v in values]


def counted_ballots(box: BallotBox) -> int:
    return box.ballots.count()
