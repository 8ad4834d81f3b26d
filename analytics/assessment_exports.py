"""The assessment table as formatted XLSX and a printable PDF with the unit's summary chart."""

import io

from matplotlib import pyplot as plt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from analytics.charts import RED, _png
from analytics.exports import report_pdf
from analytics.grading import GRADE_LABELS
from surveys.printing import cjk_style

HEADERS = [
    "干部编号",
    "姓名",
    "职务",
    "群众满意度",
    "民主测评",
    "四下基层指标",
    "问题办理",
    "综合得分",
    "建议等次",
    "理由",
    "组织评定",
    "评定理由",
]


def _values(row):
    r, d = row["result"], row["decision"]
    return [
        r.cadre.code,
        r.cadre.name,
        r.cadre.post,
        r.satisfaction,
        r.appraisal,
        r.compliance,
        r.cases,
        r.composite,
        GRADE_LABELS[r.suggested_grade],
        "；".join(r.reasons),
        GRADE_LABELS[d.grade] if d else "",
        d.reason if d else "",
    ]


def table_xlsx(cycle, table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "年度考核"
    sheet.append([str(cycle)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B71C1C")
    for row in table.rows:
        sheet.append(_values(row))
    for column in "DEFGH":
        for cell in sheet[column][2:]:
            cell.number_format = "0.0"
    for cell in sheet["J"][2:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"A": 10, "B": 10, "C": 22, "I": 10, "J": 60, "K": 10, "L": 30}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def grade_chart(table) -> bytes:
    labels = list(GRADE_LABELS.values())
    suggested = [
        sum(GRADE_LABELS[r["result"].suggested_grade] == g for r in table.rows) for g in labels
    ]
    decided = [
        sum(bool(r["decision"]) and GRADE_LABELS[r["decision"].grade] == g for r in table.rows)
        for g in labels
    ]
    with cjk_style():
        fig, ax = plt.subplots(figsize=(6, 3))
        x = range(len(labels))
        ax.bar([i - 0.2 for i in x], suggested, 0.4, color="#9e9e9e", label="建议等次")
        ax.bar([i + 0.2 for i in x], decided, 0.4, color=RED, label="组织评定")
        ax.set_xticks(list(x), labels)
        ax.set_ylabel("人数")
        ax.set_title("等次分布")
        ax.legend()
        return _png(fig)


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def table_pdf(cycle, table) -> bytes:
    header = ["干部", "满意度", "测评", "指标", "办理", "综合", "建议", "评定"]
    cells = [
        [
            r["result"].cadre.name,
            *(
                _fmt(getattr(r["result"], k))
                for k in ("satisfaction", "appraisal", "compliance", "cases", "composite")
            ),
            GRADE_LABELS[r["result"].suggested_grade],
            GRADE_LABELS[r["decision"].grade] if r["decision"] else "待评定",
        ]
        for r in table.rows
    ]
    return report_pdf(
        title=str(cycle),
        subtitle="建议等次仅供参考，等次由组织评定（不简单以票取人）",
        header=header,
        cells=cells,
        chart_pngs=[grade_chart(table)],
    )
