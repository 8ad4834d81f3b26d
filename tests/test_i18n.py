"""English through Django's i18n: zh-hans by default, English on request, a complete catalogue."""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import ROOT, ensure_tool
from tests.factories import staff_user

PO = ROOT / "locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
# What makemessages must not scan (README: the command that regenerates the catalogue).
NOT_SCANNED = {".venv", ".git", "tests", "bench", "staticfiles", "locale", "node_modules"}
ENTRY_LINE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file (obsolete `#~` ones left out): fields, flags and msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, field = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif match := ENTRY_LINE.match(line):
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += ast.literal_eval(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def problems(entries: list[dict]) -> list[str]:
    """Untranslated or fuzzy entries (the header included: a fuzzy header is ignored)."""
    found = []
    for entry in entries:
        if "fuzzy" in entry["flags"]:
            found.append(f"fuzzy: {entry['msgid']!r}")
        if entry["msgid"] and not all(translations(entry)):
            found.append(f"untranslated: {entry['msgid']!r}")
    return found


@pytest.fixture
def rate_url(visit):
    return f"/r/{visit.rating_link.token}/"


def test_resident_page_is_chinese_by_default(client, rate_url):
    html = client.get(rate_url).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "提交评价" in html
    assert "不收集姓名、手机号" in html
    assert "Submit rating" not in html


def test_resident_page_in_english_from_the_browser_language(client, rate_url):
    html = client.get(rate_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert '<button type="submit">Submit rating</button>' in html
    assert "Ratings are anonymous: no names or phone numbers are collected." in html
    assert "Minping · Anonymous ratings: no names or phone numbers are recorded" in html
    # The heading and facts come from evaluations' describer and the visit kind's label.
    assert "Please rate this visit by" in html
    assert "Investigation and research" in html
    assert "提交评价" not in html
    assert "请评价" not in html


def test_staff_pages_switch_to_english_with_set_language(client, world):
    _province, _city, counties = world
    client.force_login(staff_user("officer", counties["350901"]["county"], "personnel"))
    chinese = client.get("/staff/visits/").content.decode()
    assert "问题台账" in chinese and "Problem ledger" not in chinese

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/visits/"})
    assert response.status_code == 302 and response["Location"] == "/staff/visits/"

    html = client.get("/staff/visits/").content.decode()
    assert '<html lang="en">' in html
    for label in ("Grassroots visits", "Problem ledger", "Democratic appraisal", "Roster import"):
        assert f">{label}</a>" in html
    assert ">Log out</button>" in html
    assert ">Switch</button>" in html
    assert "问题台账" not in html and "退出" not in html


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = parse_po(PO)
    assert len(entries) > 1
    assert problems(entries) == []


def test_committed_mo_is_the_compiled_po(tmp_path, settings, monkeypatch):
    ensure_tool("msgfmt", "gettext")
    fresh = tmp_path / "locale/en/LC_MESSAGES"
    fresh.mkdir(parents=True)
    shutil.copy(PO, fresh)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("compilemessages", locale=["en"], verbosity=0)

    with open(MO, "rb") as committed_file, open(fresh / "django.mo", "rb") as fresh_file:
        committed = gettext.GNUTranslations(committed_file)
        compiled = gettext.GNUTranslations(fresh_file)
    assert committed._catalog == compiled._catalog
    for entry in parse_po(PO)[1:]:
        if "msgid_plural" in entry:
            got = [committed.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            assert got == [entry["msgstr[0]"], entry["msgstr[1]"]]
        elif "msgctxt" in entry:
            assert committed.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"]
        else:
            assert committed.gettext(entry["msgid"]) == entry["msgstr"]


def _copy_sources(target: Path) -> None:
    keep = re.compile(r".*\.(py|html|txt)$")
    for item in ROOT.iterdir():
        if item.name in NOT_SCANNED or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(
                item,
                target / item.name,
                ignore=lambda d, names: [
                    n for n in names if not (Path(d, n).is_dir() or keep.match(n))
                ],
            )
        elif keep.match(item.name):
            shutil.copy(item, target)


def test_catalogue_covers_every_marked_string_in_the_sources(tmp_path, settings, monkeypatch):
    """makemessages over today's sources adds nothing untranslated: new strings need English."""
    ensure_tool("xgettext", "gettext")
    _copy_sources(tmp_path)
    (tmp_path / "locale/en/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, tmp_path / "locale/en/LC_MESSAGES")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], verbosity=0)

    assert problems(parse_po(tmp_path / "locale/en/LC_MESSAGES/django.po")) == []


def test_chinese_month_day_is_not_zero_padded_like_the_full_date():
    """Scenario: a visit read "2026年1月26日至01月29日"; the to-do showed "（02月18日）"."""
    import datetime as dt

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("zh-hans"):
        assert date_format(dt.date(2026, 1, 29), "MONTH_DAY_FORMAT") == "1月29日"
        assert date_format(dt.date(2026, 1, 26), "DATE_FORMAT") == "2026年1月26日"
    with translation.override("en"):
        assert date_format(dt.date(2026, 1, 29), "MONTH_DAY_FORMAT") == "January 29"
