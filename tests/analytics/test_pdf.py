"""The printable score report keeps every word inside its table cell (issue 18 point 4)."""

from analytics import exports
from tests.pdf_layout import overflows

LONG_UNIT = "清溪县溪口镇人民政府农业农村综合服务中心"


def row(i, unit):
    return {
        "name": f"欧阳志{i}",
        "unit": unit,
        "n": 120 + i,
        "attitude_mean": 4.321,
        "style_mean": 4.1,
        "results_mean": 3.987,
        "satisfaction": 0.9123,
        "score": 81.25,
        "adjusted": 80.5,
        "enough": i % 3 != 0,
    }


def test_scores_pdf_keeps_long_unit_names_inside_their_cells(tmp_path):
    rows = [row(i, LONG_UNIT if i % 2 else "中共清溪县委组织部") for i in range(35)]
    pdf = exports.report_pdf(
        title="本辖区 2026 年度群众满意度",
        subtitle="评价 557 条",
        header=exports.score_header(),
        cells=exports.score_cells(rows),
        chart_pngs=[],
    )
    assert overflows(pdf, tmp_path) == []
