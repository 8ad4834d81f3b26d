"""The root URL conf (config/urls.py) keeps web workers light: the computation libraries load
inside the report and export views or the task worker, never on import (issue 15)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "scipy", "statsmodels", "matplotlib")

PROBE = f"""
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.urls import resolve
import config.urls
resolve("/r/sometoken123456/")
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def test_importing_the_url_conf_loads_no_computation_library():
    # A fresh interpreter: this test process has long imported them for other tests.
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"loaded by the URL conf: {result.stdout.strip()}"


def test_the_reports_still_load_them_when_asked():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.replace('resolve("/r/', 'import analytics.reports\nresolve("/r/'),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "pandas" in result.stdout


def test_the_csv_and_excel_exports_load_no_charts_and_no_statsmodels():
    """Issue 16 §2: each reporting process paid ~60 MB and half a second for matplotlib, and as
    much again for statsmodels and scipy.stats, though `export_scores` draws nothing and Holm's
    procedure is ten lines. They load only where a chart is drawn or an exact test is needed."""
    probe = PROBE.replace(
        'resolve("/r/',
        "import analytics.reports, analytics.exports, analytics.assessment.runs\n"
        "from django.core.management import load_command_class\n"
        'load_command_class("analytics", "export_scores")\nresolve("/r/',
    ).replace(repr(HEAVY), repr(("matplotlib", "statsmodels", "scipy.stats")))
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"loaded by the exports: {result.stdout.strip()}"


def test_the_report_statistics_run_without_scipy_stats():
    """Kruskal–Wallis, the exact Mann–Whitney and the trend's slope come from scipy.special:
    a dashboard no longer pays two seconds and ~40 MB to import scipy.stats (issue 16 §2)."""
    code = (
        "import sys, pandas as pd\n"
        "from analytics import stats\n"
        "df = pd.DataFrame({'g': list('aaabbbccc'), 'v': [1, 2, 3, 2, 3, 4, 5, 4, 5.5]})\n"
        "stats.compare_groups(df, 'g', 'v')\n"
        "stats.mann_whitney([1.0, 2.5], [3.0, 4.0, 5.5])\n"
        "stats.monthly_trend(pd.DataFrame({'month': ['2026-01', '2026-02', '2026-04'],"
        " 'value': [3.0, 4.0, 4.5]}))\n"
        "print('scipy.stats' in sys.modules, 'statsmodels' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
