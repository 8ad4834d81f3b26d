"""The README and docs/ stay short, self-contained and true: the README fits on a screen and starts
with the two commands, every link resolves inside the repository, every path the docs name exists,
and every figure a page states is read here from the code that defines it."""

import ast
import datetime as dt
import ipaddress
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from analytics import stats
from analytics.assessment.grading import MIN_PARTS, NEAR_BOUND, PRECISION
from analytics.exports import SAMPLE_GATED, SCORE_COLUMNS
from analytics.reference import group_key
from analytics.satisfaction import MIN_CELL, min_sample
from evaluations import demo
from evaluations.appraisal import scales
from evaluations.cases import permissions
from evaluations.cases.services import HANDLING_RATING_DAYS
from evaluations.contacts.models import CONTACT_POINT_MIN_YEARS
from evaluations.cycles.services import DEFAULT_CAPS
from evaluations.models import AssessmentCycle, Cadre, PolicyRuleSet
from evaluations.org import access
from evaluations.org.models import PostCategory
from evaluations.quota.compliance import PAPER_DAY_HOURS, months_served, periods, prorated
from evaluations.quota.policy_data import FUJIAN_2013, SHIPPED, SICHUAN_2017
from evaluations.roster.template import CADRE_LEVEL_WORDS, MAX_BYTES, MAX_ROWS
from evaluations.visits.models import LONG_RUN_DAYS
from surveys import cells, integrity, printing
from surveys.ballots import checks, codes, throttle
from surveys.models import new_token
from surveys.rules import SPEEDER_SECONDS, TICKET_MAX_AGE
from surveys.tasks import SCAN_DELAY

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
# One page per feature (issue 10), each linked from the README.
FEATURE_PAGES = (
    "rating",
    "appraisal",
    "quotas",
    "cases",
    "analytics",
    "assessment",
    "roster",
    "access",
    "deploy",
    "i18n",
    "sources",
    "todo",
)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
REPO_PATH = re.compile(r"[A-Za-z_][\w.-]*(/[\w.-]+)*/?")
# docs/quotas.md works these part-year examples: (first day bound, yearly minimum in days).
PRORATION_EXAMPLES = (
    (dt.date(2026, 4, 1), 60),
    (dt.date(2026, 4, 15), 60),
    (dt.date(2026, 6, 1), 30),
)


def pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def text(page: str) -> str:
    """A page's text with runs of whitespace as one space, so a phrase may wrap."""
    path = README if page == "README" else DOCS / f"{page}.md"
    return " ".join(path.read_text().split())


def row(page: str, first_cell: str) -> str:
    """The table row of `page` whose first cell is `first_cell`."""
    path = README if page == "README" else DOCS / f"{page}.md"
    rows = [line for line in path.read_text().splitlines() if line.startswith(f"| {first_cell} |")]
    assert len(rows) == 1, f"{path.name}: expected one row starting with {first_cell!r}"
    return rows[0]


def env_defaults() -> dict:
    """Every environment variable config/settings.py reads, with its literal default or None."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    found = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("env_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            rest = [*node.args[1:], *(k.value for k in node.keywords if k.arg == "default")]
            literal = rest[0].value if rest and isinstance(rest[0], ast.Constant) else None
            found[node.args[0].value] = literal
    return found


def test_readme_is_short_and_starts_with_the_two_commands():
    lines = README.read_text().splitlines()
    assert len(lines) < 150
    fence = [i for i, line in enumerate(lines) if line.startswith("```")]
    first_heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    assert fence[0] < first_heading, "the commands come before any section"
    assert lines[fence[0] + 1 : fence[1]] == ["make run", "make test"]


def test_every_feature_page_exists_and_is_linked_from_the_readme():
    linked = set(LINK.findall(README.read_text()))
    for name in FEATURE_PAGES:
        assert (DOCS / f"{name}.md").is_file()
        assert f"docs/{name}.md" in linked, f"README does not link docs/{name}.md"


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_links_resolve_inside_the_repository(page):
    body = page.read_text()
    assert "../shared" not in body and "/work/" not in body
    for target in LINK.findall(body):
        assert "://" not in target and not target.startswith("mailto:"), target
        path = target.split("#", 1)[0]
        if not path:
            continue
        resolved = (page.parent / path).resolve()
        assert resolved.is_relative_to(ROOT), f"{page.name}: {target} points outside"
        assert resolved.exists(), f"{page.name}: {target} does not exist"


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_paths_named_in_code_spans_exist(page):
    """A path such as `evaluations/cases/services.py` must exist: a move cannot leave docs stale."""
    missing = []
    for span in CODE_SPAN.findall(page.read_text()):
        if "/" not in span or not REPO_PATH.fullmatch(span) or span.startswith(".venv"):
            continue
        if not (ROOT / span).exists():
            missing.append(span)
    assert missing == []


def test_readme_names_every_environment_variable_and_its_default():
    readme = README.read_text()
    defaults = env_defaults()
    assert {"CLIENT_IP_HEADER", "TRUSTED_PROXY_COUNT"} <= set(defaults)
    for name in defaults:
        assert f"`{name}`" in readme, f"README settings table lacks {name}"
    for name in (
        "CONTACT_RETENTION_DAYS",
        "AXES_FAILURE_LIMIT",
        "TRUSTED_PROXY_COUNT",
        "CASE_GRACE_DAYS",
        "ASSESSMENT_STALE_MINUTES",
    ):
        assert row("README", f"`{name}`").startswith(f"| `{name}` | `{defaults[name]}` |")
    assert row("README", "`SECURE_HSTS_SECONDS`").startswith(
        f"| `SECURE_HSTS_SECONDS` | `{defaults['SECURE_HSTS_SECONDS']}` |"
    )


def test_readme_states_the_process_count_defaults():
    env = env_defaults()
    first = row("README", "`APP_SERVERS`, `WEB_CONCURRENCY`")
    assert first.startswith(
        f"| `APP_SERVERS`, `WEB_CONCURRENCY` | `{env['APP_SERVERS']}`, `{env['WEB_CONCURRENCY']}` |"
    )


def test_access_page_has_a_row_for_every_role():
    lines = (DOCS / "access.md").read_text().splitlines()
    for role in (*access.EVERY_ROLE, "superuser"):
        rows = [line for line in lines if line.startswith(f"| {role} ")]
        assert len(rows) == 1, f"access.md: expected one row for {role}"


# How docs/access.md words each case move that evaluations/cases/permissions.py allows.
MOVE_WORDS = {
    "accept": "accept it",
    "solve_on_spot": "solve it on the spot",
    "escalate": "escalate it",
    "close": "close it",
}


def test_access_page_states_who_may_move_a_case():
    page = text("access")
    receiver = next(line for line in page.split("- ") if line.startswith("the cadre who received"))
    responsible = next(line for line in page.split("- ") if line.startswith("the leader in charge"))
    for action in permissions.RECEIVER_ACTIONS:
        assert MOVE_WORDS[action] in receiver
    for action in permissions.RESPONSIBLE_ACTIONS:
        assert MOVE_WORDS[action] in responsible
    assert set(permissions.DEPARTMENT) == {"personnel", "admin"}
    assert "personnel and admin may make every move" in page
    assert "discipline" not in permissions.DEPARTMENT and "discipline only reads" in page


def test_access_page_states_the_lockout_and_chart_settings():
    page = text("access")
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert "The lock is on the pair of username and address" in page
    assert settings.AXES_RESET_ON_SUCCESS and "a successful sign-in resets the count" in page
    assert printing.matplotlib.rcParams["text.parse_math"] is False
    assert "`text.parse_math`" in page


def test_readme_tour_uses_the_demo_accounts():
    readme = text("README")
    assert f"`{demo.DEMO_PASSWORD}`" in readme
    for username, *_rest in demo.ACCOUNTS:
        assert f"`{username}`" in readme


def stated_figures():
    """(page, the exact phrase it must contain), each phrase built from the code's value."""
    env = env_defaults()
    cycle = {f.name: f.default for f in AssessmentCycle._meta.get_fields() if hasattr(f, "default")}
    yield "analytics", f"`MIN_SAMPLE` (default {min_sample()})"
    yield "analytics", f"{stats.DEFAULT_CONFIDENCE:.0%} Wilson interval"
    yield "analytics", f"from {stats.MIN_TREND_MONTHS} months of data"
    yield "analytics", ", ".join(column[1] for column in SCORE_COLUMNS)
    headers = dict((column[0], column[1]) for column in SCORE_COLUMNS)
    gated = " and ".join(f"`{headers[key]}`" for key in SAMPLE_GATED)
    yield "analytics", f"the score columns {gated} are left blank"
    yield "analytics", f"No figure computed from fewer than {MIN_CELL} responses"
    yield "analytics", f"Under {MIN_CELL} responses every figure of the row is blank"
    step = stats.MEAN_STEP * (stats.SCALE_HIGH - stats.SCALE_LOW)
    yield "analytics", f"({step:g}/n on the {stats.SCALE_LOW}–{stats.SCALE_HIGH} scale)"
    draws, sizes, coverage = coverage_test_figures()
    yield "analytics", f"draws {draws:,} samples with a fixed seed"
    yield "analytics", f"at sample sizes from {min(sizes)} to {max(sizes)}"
    yield "analytics", f"at least {coverage:.0%} coverage"
    yield "appraisal", f"| more than {scales.DEFAULT_QUORUM} |"
    yield "appraisal", f"| above {scales.DEFAULT_FLAG} |"
    yield "appraisal", f"| no more than {scales.DEFAULT_EXCELLENT_CAP} |"
    yield "appraisal", f"| 优秀 votes above {scales.DEFAULT_EXCELLENT_MAJORITY} of valid ballots |"
    yield "appraisal", f"{codes.LENGTH} characters from a {codes.MODULUS}-character alphabet"
    yield "appraisal", f"Σ i·vᵢ ≡ 0 mod {codes.MODULUS}"
    yield "appraisal", f"`BALLOT_GUESSES_PER_ADDRESS` (default {throttle.GUESSES_PER_ADDRESS})"
    yield "appraisal", f"`BALLOT_GUESSES_PER_BOX` (default {throttle.GUESSES_PER_BOX})"
    yield "appraisal", f"`BALLOT_GUESSES_PER_SITE` (default {throttle.GUESSES_PER_SITE})"
    yield "appraisal", f"`BALLOT_GUESS_WINDOW` (default {throttle.WINDOW_SECONDS} seconds)"
    for field, label in (
        ("weight_satisfaction", "群众满意度 (satisfaction)"),
        ("weight_appraisal", "民主测评 (appraisal)"),
        ("weight_compliance", "四下基层指标 (quota compliance)"),
        ("weight_cases", "问题办理 (case handling)"),
    ):
        yield "assessment", f"| {label} | {cycle[field]} |"
    for grade, field in (("优秀", "excellent"), ("称职", "competent"), ("基本称职", "basic")):
        yield "assessment", f"{grade} ≥ {Decimal(cycle[f'band_{field}']):g}"
    for category, team, principal, fraction, _source in DEFAULT_CAPS:
        team_cell = f"`{team}`" if team else "any"
        share = f"{Decimal(fraction) * 100:.0f}%"
        principal_cell = "yes" if principal else "no"
        yield "assessment", f"| `{category}` | {team_cell} | {principal_cell} | {share} |"
    yield "assessment", f"fewer than {MIN_PARTS} parts"
    yield "assessment", f"`CASE_GRACE_DAYS` (default {env['CASE_GRACE_DAYS']} days)"
    yield (
        "assessment",
        f"`ASSESSMENT_STALE_MINUTES` (default {env['ASSESSMENT_STALE_MINUTES']} minutes)",
    )
    places = {1: "one decimal place", 2: "two decimal places"}.get(PRECISION, "precision changed")
    yield "assessment", f"rounded once, to {places} (`PRECISION`"
    yield "assessment", f"less than {NEAR_BOUND:g} point from a band's bound"
    yield "cases", f"`case_deadline_months` (default {_deadline_months_default()}"
    yield "cases", f"`case_deadline_days` (default {_deadline_default()})"
    yield "cases", f"`CONTACT_RETENTION_DAYS` (default {env['CONTACT_RETENTION_DAYS']}"
    yield "cases", f"open for {HANDLING_RATING_DAYS} days"
    yield "deploy", f"`AXES_FAILURE_LIMIT` failed attempts (default {env['AXES_FAILURE_LIMIT']})"
    yield "deploy", {1: "for one hour"}.get(settings.AXES_COOLOFF_TIME, "cool-off changed")
    proxies = env["TRUSTED_PROXY_COUNT"]
    yield "deploy", f"`APP_SERVERS` (app servers, default {env['APP_SERVERS']})"
    yield "deploy", f"`WEB_CONCURRENCY` (workers per server, default {env['WEB_CONCURRENCY']};"
    yield "deploy", f"`check --deploy` fails with `{shared_cache_check_id()}`"
    yield "access", f"fails with `{shared_cache_check_id()}`"
    yield "README", f"(check `{shared_cache_check_id()}`)"
    yield "access", f"`AXES_FAILURE_LIMIT` failed attempts (default {env['AXES_FAILURE_LIMIT']})"
    yield "access", {1: "for one hour"}.get(settings.AXES_COOLOFF_TIME, "cool-off changed")
    yield "appraisal", f"An IPv6 client counts as its /{ipv6_prefix()}"
    yield "access", f"a cell starting with {trigger_list()} would run as a formula"
    yield "deploy", f"your proxies in front of the app servers (default {proxies})"
    yield "quotas", f"under {PAPER_DAY_HOURS:.0f} hours a day"
    yield "quotas", f"against the {PAPER_DAY_HOURS:.0f} hours a day"
    yield "quotas", f"One visit of {LONG_RUN_DAYS} calendar days or more (`LONG_RUN_DAYS`"
    yield "rating", f"one visit of {LONG_RUN_DAYS} days or more (`LONG_RUN_DAYS`)"
    fujian, sichuan = len(FUJIAN_2013["rules"]), len(SICHUAN_2017["rules"])
    yield "quotas", f"`fujian-2013` ships {fujian} rules and `sichuan-2017` {sichuan}"
    yield from (("quotas", phrase) for phrase in proration_phrases())
    yield "rating", f"under {SPEEDER_SECONDS} seconds"
    yield "rating", f"takes {SPEEDER_SECONDS} seconds or more"
    yield from (("rating", phrase) for phrase in integrity_phrases())
    yield "rating", f"{len(new_token())} URL-safe characters"
    yield "roster", f"{MAX_BYTES // 2**20} MB and {MAX_ROWS} rows per sheet"
    yield "roster", f"`CONTACT_POINT_MIN_YEARS` ({CONTACT_POINT_MIN_YEARS})"
    with translation.override("zh-hans"):
        level_labels = {value: str(label) for value, label in Cadre.Level.choices}
    for level, label in level_labels.items():
        words = [word for word, meant in CADRE_LEVEL_WORDS.items() if meant == level]
        if words:
            yield "roster", f"{', '.join(words)} as {label}"


def shared_cache_check_id() -> str:
    """The id of the deploy check that refuses several processes with a per-process cache."""
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(APP_SERVERS=2, WEB_CONCURRENCY=1, CACHES=locmem):
        (error,) = checks.shared_cache_for_limits()
    return error.id


def ipv6_prefix() -> int:
    return ipaddress.ip_network(throttle._client("2001:db8::1")).prefixlen


def trigger_list() -> str:
    """surveys/cells.py's TRIGGERS in words: `=`, `+`, `-`, `@`, a tab or a carriage return."""
    words = {"\t": "a tab", "\r": "a carriage return"}
    named = [words.get(t, f"`{t}`") for t in cells.TRIGGERS]
    return ", ".join(named[:-1]) + " or " + named[-1]


def _seconds(delta: dt.timedelta) -> int:
    assert delta.total_seconds() == int(delta.total_seconds()), "whole seconds expected"
    return int(delta.total_seconds())


def integrity_phrases():
    """docs/rating.md: the ticket's maximum age, the scan's timing and every detector's
    thresholds, each phrase built from surveys/rules.py, surveys/tasks.py and
    surveys/integrity.py."""
    i = integrity
    hours = _seconds(TICKET_MAX_AGE) / 3600
    yield f"older than {hours:g} hours (`TICKET_MAX_AGE`"
    yield f"the submissions to a link within {_seconds(SCAN_DELAY)} seconds share one scan"
    lookback = {1: "hour", 2: "two hours"}.get(_seconds(i.SCAN_LOOKBACK) / 3600, "changed")
    yield f"the link's last {lookback} (`SCAN_LOOKBACK`)"
    yield f"at least {i.SERIAL_COUNT} responses from one address (`SERIAL_COUNT`)"
    yield f"within {_seconds(i.SERIAL_GAP)} seconds of it (`SERIAL_GAP`)"
    yield f"waits more than {_seconds(i.SERIAL_GAP)} seconds between ratings"
    yield f"within {i.SERIAL_FIRST_FACTOR:g} × the run's median time (`SERIAL_FIRST_FACTOR`)"
    yield (
        f"at least {i.PACE_COUNT} submissions within {_seconds(i.PACE_WINDOW)} seconds from one"
        " address and browser string (`PACE_COUNT`, `PACE_WINDOW`)"
    )
    yield (
        f"at least {i.PACE_ADDRESS_COUNT} within {_seconds(i.PACE_ADDRESS_WINDOW)} seconds from"
        " one address (`PACE_ADDRESS_COUNT`, `PACE_ADDRESS_WINDOW`)"
    )
    yield (
        f"at least {i.AHEAD_COUNT} pages opened within {_seconds(i.AHEAD_WINDOW)} seconds by one"
        " address and browser string (`AHEAD_COUNT`, `AHEAD_WINDOW`)"
    )
    yield f"within {_seconds(i.AHEAD_REACH)} seconds before or after (`AHEAD_REACH`)"
    yield (
        f"a margin of {i.AUDIENCE_MARGIN_SHARE:.0%} (`AUDIENCE_MARGIN_SHARE`), at least"
        f" {i.AUDIENCE_MARGIN_MIN} people (`AUDIENCE_MARGIN_MIN`)"
    )
    first = i.audience_limit(25) + 1
    suffix = (
        "th" if first % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(first % 10, "th")
    )
    yield f"with 参会人数 25, from the {first}{suffix} response on"
    yield (
        f"at least {i.DUPLICATE_COMMENT_MIN_CHARS} characters (`DUPLICATE_COMMENT_MIN_CHARS`)"
        f" {i.DUPLICATE_COMMENT_COUNT} times or more on one link (`DUPLICATE_COMMENT_COUNT`)"
    )


def coverage_test_figures() -> tuple[int, list[int], float]:
    """(samples per case, sample sizes, required coverage) of the simulation that
    docs/analytics.md describes, read from tests/analytics/test_stats.py."""
    source = (ROOT / "tests" / "analytics" / "test_stats.py").read_text()
    body = source[source.index("def test_mean_interval_covers_skewed_data") :]
    sizes = re.findall(r'parametrize\("n", \[([\d, ]+)\]\)\s*def test_mean_interval_covers', source)
    draws = re.search(r"size=\((\d+), n\)", body)
    coverage = re.search(r"coverage >= (0\.\d+)", body)
    assert sizes and draws and coverage, "the coverage simulation changed shape"
    return int(draws[1]), [int(n) for n in sizes[0].split(",")], float(coverage[1])


def proration_phrases():
    """The worked part-year examples, each from `months_served` and `prorated`."""
    year = periods("year", 2026)[0]
    for start, minimum in PRORATION_EXAMPLES:
        months = months_served(year, [(start, dt.date.max)])
        owed, exact = prorated(minimum, months), Decimal(minimum) * months / 12
        result = f"{owed} days" if exact == owed else f"{exact:g}, owed {owed} days"
        yield f"from {start.day} {start:%B}: {minimum} days × {months} months ÷ 12 = {result}"


def _deadline_default() -> int:
    return PolicyRuleSet._meta.get_field("case_deadline_days").default


def _deadline_months_default() -> int:
    return PolicyRuleSet._meta.get_field("case_deadline_months").default


@pytest.mark.parametrize(("page", "phrase"), list(stated_figures()))
def test_pages_state_the_figures_the_code_defines(page, phrase):
    assert phrase in text(page)


@pytest.mark.parametrize(("key", "points"), list(scales.DEFAULT_POINTS.items()))
def test_appraisal_page_states_the_default_grade_points(key, points):
    assert row("appraisal", f"`{key}`").endswith(f"| {points:.1f} |")


@pytest.mark.parametrize(
    "rule", [rule for ruleset in SHIPPED for rule in ruleset["rules"]], ids=lambda r: r["code"]
)
def test_quotas_page_states_every_shipped_rule(rule):
    expected = "—" if rule["minimum"] is None else str(rule["minimum"])
    categories = ", ".join(f"`{c}`" for c in rule["post_categories"]) or "any"
    stated = row("quotas", f"`{rule['code']}`")
    assert f"| {rule['period']} | {expected} |" in stated
    assert f"| {categories} |" in stated, "the post categories the rule binds"


@pytest.mark.parametrize("category", PostCategory, ids=lambda c: c.value)
def test_quotas_page_states_every_post_category(category):
    with translation.override("zh-hans"):
        label = str(category.label)
    assert row("quotas", label) == f"| {label} | `{category.value}` |"


def test_default_rule_sets_deadline_matches_the_stated_default():
    assert {ruleset["case_deadline_days"] for ruleset in SHIPPED} == {_deadline_default()}
    assert {ruleset["case_deadline_months"] for ruleset in SHIPPED} == {_deadline_months_default()}
    assert "both shipped rule sets use one month" in text("cases")
    assert _deadline_months_default() == 1


def test_roster_page_states_which_rule_sets_pair_organs():
    """docs/roster.md: `fujian-2013` pairs county, city and provincial organs with a village;
    `sichuan-2017` binds no organ."""
    organ_rows = {
        ruleset["code"]: [c for c in ruleset["contacts"] if "organ" in c["cadre_levels"]]
        for ruleset in SHIPPED
    }
    assert [c["kind"] for c in organ_rows["fujian-2013"]] == ["village"]
    assert organ_rows["sichuan-2017"] == []
    assert "A rule set without such a row (`sichuan-2017`) binds no organ" in text("roster")


def test_analytics_page_states_the_reference_group_rule():
    """docs/analytics.md names the three things `group_key` groups cadres by."""
    assert group_key(level="x", path="/a/b/", ruleset_id=1) == ("/a/", 1, "x")
    page = text("analytics")
    for words in ("of the same rank", "in the same province", "the same quota rule set that year"):
        assert words in page


def test_no_notes_page_is_left_to_fold():
    assert not list(DOCS.glob("i*-notes.md"))
