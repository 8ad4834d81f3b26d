"""What a sheet's QR code says: the rating link and the sheet number, never the resident."""

# Not a web address, so scanning a sheet never opens the web form (a resident who filled a sheet
# is not invited to rate again on a phone); staff scan it into the entry page to find the sheet.
QR_PREFIX = "MINPING-PAPER"


def sheet_code(token: str, sheet: int) -> str:
    return f"{QR_PREFIX}:{token}:{sheet}"


def read_sheet_code(text: str) -> tuple[str, int] | None:
    """(token, sheet number) from a scanned sheet code, or None."""
    parts = str(text).strip().split(":")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[2].isdecimal():
        return None
    return parts[1], int(parts[2])
