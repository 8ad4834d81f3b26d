"""What every Excel file the site produces shows when opened: columns as wide as their header
and values (a CJK character counting two, at most cells.WIDEST) and the header row frozen."""

from surveys.cells import WIDEST, text_width


def assert_fitted(sheet, *, header_row: int) -> None:
    assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title
    for column in sheet.iter_cols(min_row=header_row):
        texts = [cell.value for cell in column if isinstance(cell.value, str)]
        if not texts:
            continue
        width = sheet.column_dimensions[column[0].column_letter].width
        assert min(max(map(text_width, texts)) + 2, WIDEST) <= width <= WIDEST, sheet.title
