"""Text in PDFs wraps where a reader expects: between Chinese characters, between Latin words."""

import pytest

from surveys.printing import column_widths, longest_word, text_width, wrap_cjk


def test_english_wraps_between_words_not_inside_them():
    """Scenario: the English scores.pdf printed "Sample too smal / l" and "Unq / ualified"."""
    assert wrap_cjk("Sample too small", 9) == "Sample too\nsmall"
    assert wrap_cjk("Unqualified 6 (81.8%) decision", 10) == "Unqualified 6\n(81.8%) decision"
    for line in wrap_cjk("Grade not determined, basically competent", 8).split("\n"):
        assert text_width(line) <= 8 and not line.startswith(" ")


def test_chinese_still_wraps_anywhere_but_before_closing_punctuation():
    assert wrap_cjk("中共清溪县委组织部", 4) == "中共清溪\n县委组织\n部"
    assert not any(
        line.startswith("，") for line in wrap_cjk("扫码评价我的工作，匿名提交", 7).split("\n")
    )


def test_a_word_wider_than_the_line_is_cut_rather_than_overflowing():
    lines = wrap_cjk("Supercalifragilisticexpialidocious", 6).split("\n")
    assert "".join(lines) == "Supercalifragilisticexpialidocious"
    assert all(text_width(line) <= 6 for line in lines)


def test_a_column_is_never_narrower_than_its_longest_word():
    """ "Cadre" was broken into "Cadr / e": a word sets the column's least width, even past the
    cap that makes long Chinese names wrap."""
    word = text_width("Incompetent") + 0.6
    widths = column_widths(["Incompetent", "名"], [["x", "y"]], cap=3)
    assert widths[0] == pytest.approx(word / (word + 2.0))


def test_a_number_keeps_its_unit_and_brackets_at_every_width():
    text = "优秀 6（54.5%）  称职 5（45.5%），不称职 0（0.0%）。Unqualified 6 (54.5%)."
    widest = int(longest_word(text) * 10) + 1  # a table column is never narrower (column_widths)
    for tenths in range(widest, 200):
        lines = wrap_cjk(text, tenths / 10).split("\n")
        assert not [line for line in lines if line.startswith((")", "%", "）", "，", "。"))]
        assert not [line for line in lines if line.endswith(("（", "("))], tenths
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
