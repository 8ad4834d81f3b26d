"""The assessment table as formatted XLSX and a printable PDF with the unit's summary chart."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib import pyplot as plt

from analytics import channels, exports
from analytics.assessment.grading import GRADE_LABELS
from analytics.charts import RED, _png
from analytics.exports import CHANNEL_COLUMNS, report_pdf
from surveys import notes
from surveys.exporting import Column
from surveys.printing import cjk_style

COLUMNS = [  # (key, code for scripts, number format, header people read, digits as on screen)
    Column("code", "cadre_code", "@", gettext_lazy("干部编号")),
    Column("name", "cadre", "@", gettext_lazy("姓名")),
    Column("post", "post", "@", gettext_lazy("职务")),
    Column("satisfaction", "satisfaction", "0.0", gettext_lazy("群众满意度"), 1),
    *CHANNEL_COLUMNS,
    Column("appraisal", "appraisal", "0.0", gettext_lazy("民主测评"), 1),
    Column("compliance", "compliance", "0.0", gettext_lazy("四下基层指标"), 1),
    Column("cases", "cases", "0.0", gettext_lazy("问题办理"), 1),
    Column("composite", "composite", "0.0", gettext_lazy("综合得分"), 1),
    Column("suggested", "suggested_grade", "@", gettext_lazy("建议等次")),
    Column("reasons", "reasons", "@", gettext_lazy("理由")),
    Column("decided", "decided_grade", "@", gettext_lazy("组织评定")),
    Column("decision_reason", "decision_reason", "@", gettext_lazy("评定理由")),
]


def _values(row, style: str = "zh") -> dict:
    r, d = row["result"], row["decision"]
    return {
        "code": r.cadre.code,
        "name": r.cadre.name,
        "post": r.cadre.post,
        "satisfaction": r.satisfaction,
        **{f"n_{channel}": n for channel, n in row["channels"].items()},
        "appraisal": r.appraisal,
        "compliance": r.compliance,
        "cases": r.cases,
        "composite": r.composite,
        "suggested": r.suggested_grade
        if style == "codes"
        else str(GRADE_LABELS[r.suggested_grade]),
        "reasons": _("；").join(notes.texts(r.reasons)),
        "decided": (d.grade if style == "codes" else str(GRADE_LABELS[d.grade])) if d else "",
        "decision_reason": d.reason if d else "",
    }


def table_xlsx(cycle, table, *, style: str = "zh") -> bytes:
    return exports.table_xlsx(
        sheet_title=_("年度考核"),
        title=str(cycle) + channels.listed(table.channels),
        columns=COLUMNS,
        rows=[_values(row, style) for row in table.rows],
        style=style,
    )


def grade_chart(table) -> bytes:
    labels = [str(label) for label in GRADE_LABELS.values()]
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
        ax.bar([i - 0.2 for i in x], suggested, 0.4, color="#9e9e9e", label=_("建议等次"))
        ax.bar([i + 0.2 for i in x], decided, 0.4, color=RED, label=_("组织评定"))
        ax.set_xticks(list(x), labels)
        ax.set_ylabel(_("人数"))
        ax.set_title(_("等次分布"))
        ax.legend()
        return _png(fig)


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def table_pdf(cycle, table) -> bytes:
    header = [
        _("干部"),
        _("满意度"),
        _("扫码/纸质/协助"),
        _("测评"),
        _("指标"),
        _("办理"),
        _("综合"),
        _("建议"),
        _("评定"),
    ]
    cells = [
        [
            r["result"].cadre.name,
            _fmt(r["result"].satisfaction),
            "/".join(str(r["channels"][c]) for c in ("web", "paper", "assisted")),
            *(
                _fmt(getattr(r["result"], k))
                for k in ("appraisal", "compliance", "cases", "composite")
            ),
            str(GRADE_LABELS[r["result"].suggested_grade]),
            str(GRADE_LABELS[r["decision"].grade]) if r["decision"] else _("待评定"),
        ]
        for r in table.rows
    ]
    return report_pdf(
        title=str(cycle) + channels.listed(table.channels),
        subtitle=_("建议等次仅供参考，等次由组织评定（不简单以票取人）"),
        header=header,
        cells=cells,
        chart_pngs=[grade_chart(table)],
    )
