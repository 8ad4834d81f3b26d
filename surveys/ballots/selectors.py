"""Reads of ballot boxes for the voters' pages."""

from surveys.ballots.models import BallotBox, ReceiptBook, display_receipt


def published_receipts(box: BallotBox) -> list[str] | None:
    """The receipts of a closed box, in the random order of their values (never the order of
    voting); None while the box is open, so nothing is published before the count."""
    if not box.is_closed:
        return None
    book = ReceiptBook.objects.filter(box=box).first()
    return [display_receipt(v) for v in (book.as_list() if book else [])]


def counted_ballots(box: BallotBox) -> int:
    return box.ballots.count()
