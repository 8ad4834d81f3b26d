"""`manage.py import_roster FILE.xlsx`: the same importer, errors with row numbers, exit code."""

import io

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import Cadre, OrgUnit, Tenure
from tests.evaluations.roster.helpers import CADRES, UNITS, filled

pytestmark = pytest.mark.django_db


def write(tmp_path, units=(), cadres=()):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(filled(units, cadres).getvalue())
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_reports_counts(world, tmp_path):
    out, _err = run(write(tmp_path, UNITS, CADRES))
    assert "单位：已新增 3，已更新 0，未变化 0" in out
    assert "干部：已新增 3，已更新 0，未变化 0" in out
    assert Cadre.objects.filter(code__in=["K001", "K002", "K003"]).count() == 3
    again, _err = run(write(tmp_path, UNITS, CADRES))
    assert "干部：已新增 0，已更新 0，未变化 3" in again


def test_errors_are_printed_with_row_numbers_and_the_exit_code_is_non_zero(world, tmp_path):
    bad = [*CADRES[:1], ("K002", "孙磊", "350901-2", "科长", "镇长", "", "", "", "")]
    with pytest.raises(CommandError) as failed:
        call_command("import_roster", write(tmp_path, UNITS, bad), stderr=(err := io.StringIO()))
    assert failed.value.returncode == 1
    assert str(failed.value) == "1 处错误，未导入任何数据。"
    assert err.getvalue().splitlines() == [
        "干部 第3行：职级“科长”不是有效选项（可选：省级、市级、县级、乡科级、一般干部）"
    ]
    assert not OrgUnit.objects.filter(code="350901-2").exists()


def test_dry_run_and_jurisdiction(world, tmp_path):
    before = (OrgUnit.objects.count(), Cadre.objects.count(), Tenure.objects.count())
    out, _err = run(write(tmp_path, UNITS, CADRES), "--dry-run")
    assert "干部：将新增 3" in out and "只检查，未导入任何数据" in out
    assert (OrgUnit.objects.count(), Cadre.objects.count(), Tenure.objects.count()) == before
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", write(tmp_path, UNITS), "--within", "350902", stderr=err)
    assert "单位 第2行：单位“350901-2-1”不在您的管辖范围（远山县）内" in err.getvalue()


def test_missing_and_garbage_files_are_clear_errors(world, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.xlsx"))
    garbage = tmp_path / "roster.xlsx"
    garbage.write_bytes(b"not a workbook")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(garbage), stderr=err)
    assert "文件不是有效的 Excel（.xlsx）文件" in err.getvalue()
