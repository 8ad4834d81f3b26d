"""English mode, the outside walk of issue 18 §8: what the system writes and stores (reminders,
a case's events, an appraisal's log) and the rule sets it ships read in the reader's language;
English sentences carry English punctuation; counted nouns agree with their number."""

import datetime as dt
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from evaluations.appraisal import services as appraisal
from evaluations.cases import services as cases
from evaluations.models import AppraisalLog, Case, CaseEvent, Reminder
from evaluations.todo import services as todo
from evaluations.visits.services import contact_card_link
from surveys.models import RatingLink
from tests.evaluations.appraisal.helpers import issue, make_session, vote
from tests.factories import CadreFactory, VisitFactory, staff_user
from tests.test_english import CJK, leftover, user_data
from tests.test_i18n import PO, parse_po, translations

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
# CJK characters and punctuation (ideographs, 、。《》「」, full-width forms such as ，：；（）).
CJK_ANY = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Words a user must type as they are, quoted in English help: the roster's sheet names and its
# yes/no cells, the appraisal list's markers (tests/test_english.py LITERAL).
TYPED_AS_IS = ("“单位”", "“干部”", "“是”", "“否”", "“预备”", "“班子”", "“预", "备”", "“班", "子”")


def test_no_english_translation_holds_chinese_words_or_punctuation():
    wrong = []
    for entry in parse_po(PO):
        for text in translations(entry):
            for word in TYPED_AS_IS:
                text = text.replace(word, "")
            if CJK_ANY.search(text):
                wrong.append(f"{entry['msgid'][:40]} -> {text[:80]}")
    assert wrong == [], "\n".join(wrong)


def test_counted_nouns_agree_with_their_number():
    with translation.override("en"):
        assert translation.ngettext("已保存 %d 项评定。", "已保存 %d 项评定。", 1) % 1 == (
            "Saved 1 decision."
        )
        assert translation.ngettext("已保存 %d 项评定。", "已保存 %d 项评定。", 2) % 2 == (
            "Saved 2 decisions."
        )
    counted = re.compile(r"%\(\w+\)[sd] (rules|cadres|responses|visits|cases|ratings|votes)\b")
    plain = [
        value
        for entry in parse_po(PO)
        if "msgid_plural" not in entry
        for value in translations(entry)
        if counted.search(value)
    ]
    assert plain == []


@pytest.fixture
def written(world, questionnaire):
    """Everything below is written by the system's own services, nothing typed into a page
    except the names, the titles and the one note a person adds."""
    _, _, counties = world
    county = counties["350901"]
    me = CadreFactory(unit=county["county"], level="county", name="林海")
    user = staff_user("root-en", county["county"], "admin", cadre=me)
    visit = VisitFactory(lead=me, start_date=TODAY - 5 * DAY, end_date=TODAY - 5 * DAY)
    case = cases.raise_case(visit=visit, cadre=me, title="修桥", raised_on=TODAY - 5 * DAY)
    cases.accept(case=case)
    cases.escalate(case=case, to_unit=case.unit.parent)
    cases.assign(case=case, responsible=me, deadline=TODAY + 3 * DAY, note="先行排查")
    closes_at = timezone.now() + dt.timedelta(minutes=30)
    session = make_session(county["village"], user, groups=(("党员", 4, 1),), closes_at=closes_at)
    codes = issue(session, user)
    appraisal.void_codes(session=session, serials=[1], reissue=True, actor=user)
    todo.remind(today=timezone.localdate(closes_at))  # the case due and the vote closing
    todo.remind(today=dt.date(TODAY.year, 12, 20))  # a quota period ending short
    for code in codes[1:]:
        vote(session, code, "qualified")
    appraisal.close_session(session=session, actor=user)
    subject = session.subjects.get(name="甲党员")
    decided = {subject.pk: ("qualified", "支部研究")}
    appraisal.record_grades(session=session, decisions=decided, actor=user)
    with pytest.raises(appraisal.AppraisalError):
        appraisal.issue_codes(session=session, group=session.groups.first(), count=1, actor=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client, user, case, session


def test_the_system_stores_messages_not_chinese_sentences(written):
    _client, user, case, session = written
    kinds = set(Reminder.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == set(Reminder.Kind.values)
    assert not Reminder.objects.exclude(text="").exists()
    assert set(case.events.values_list("note", flat=True)) == {"", "先行排查"}
    assert not session.log.exclude(detail="").exists()
    logged = set(session.log.values_list("action", flat=True))
    assert logged == set(AppraisalLog.Action.values) - {AppraisalLog.Action.EDITED}


def test_system_texts_read_in_english_on_english_pages(written):
    client, _user, case, session = written
    data = user_data()
    wrong = {}
    for url in (
        "/staff/inbox/",
        "/staff/",
        f"/staff/cases/{case.pk}/",
        f"/staff/appraisal/{session.pk}/",
        f"/staff/appraisal/{session.pk}/results/",
        "/staff/rulesets/",
        "/staff/me/quota/",
        f"/staff/compliance/?year={TODAY.year}",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        if url in ("/staff/inbox/", "/staff/"):  # the reminders, in words
            assert "The case “修桥” is due on" in page.content.decode(), url
        left = leftover(page.content.decode(), data)  # Chinese words and the Chinese comma
        if left:
            wrong[url] = left
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_the_same_stored_reminder_reads_in_each_readers_language(written):
    _client, user, _case, _session = written
    reminder = Reminder.objects.get(user=user, kind=Reminder.Kind.CASE_DUE)
    deadline = f"{TODAY + 3 * DAY:%Y-%m-%d}"
    with translation.override("zh-hans"):
        assert reminder.shown.startswith(f"问题“修桥”的办结期限是{deadline}，还有")
    with translation.override("en"):
        assert reminder.shown.startswith(f"The case “修桥” is due on {deadline} (days left: ")


def test_rows_written_before_messages_are_shown_as_they_were(written):
    _client, user, case, session = written
    old = Reminder.objects.create(user=user, kind="case_due", key="old", text="旧提醒", url="/")
    event = CaseEvent.objects.create(case=case, status=Case.Status.ACCEPTED, note="旧说明")
    entry = AppraisalLog.objects.create(session=session, action="opened", detail="旧日志")
    with translation.override("en"):
        assert (old.shown, event.shown, entry.shown) == ("旧提醒", "旧说明", "旧日志")


def test_an_over_cap_reason_cites_the_shipped_regulation_in_english():
    from analytics.assessment import grading
    from evaluations.cycles.services import DEFAULT_CAPS
    from surveys import notes

    source = DEFAULT_CAPS[0][-1]
    group = [
        grading.Candidate(cadre_id=i, name=f"干部{i}", category="leading", parts={})
        for i in range(4)
    ]
    for i, c in enumerate(group):
        c.grade, c.composite = "excellent", 95.0 - i
    grading._apply_cap(group, 0.25, source)
    with translation.override("en"):
        words = " ".join(notes.texts(group[-1].reasons))
    assert "Regulations on the Assessment" in words and not CJK.search(words), words


def test_rating_link_titles_hold_only_user_data(written):
    """The review queue shows a link's stored title: a case's link was "问题办理评价：修桥" and a
    contact card's "林海（副县长）联系卡", Chinese on every English page. Now the titles are the
    case's own words and "name · post", and old rows are rewritten the same way."""
    _client, _user, case, _session = written
    case.refresh_from_db()
    assert case.rating_link.title == "修桥"
    cadre = CadreFactory(name="林海", post="副县长")
    assert contact_card_link(cadre=cadre).title == "林海 · 副县长"
    old_case = RatingLink.objects.create(
        title="问题办理评价：路灯", questionnaire=case.rating_link.questionnaire
    )
    old_card = RatingLink.objects.create(
        title="王五（村支书）联系卡", questionnaire=case.rating_link.questionnaire
    )
    kept = RatingLink.objects.create(
        title="王五 · 城东社区联系卡", questionnaire=case.rating_link.questionnaire
    )
    import_module("evaluations.migrations.0019_link_titles_user_data").forwards(apps, None)
    titles = dict(
        RatingLink.objects.filter(pk__in=[old_case.pk, old_card.pk, kept.pk]).values_list(
            "pk", "title"
        )
    )
    assert titles == {
        old_case.pk: "路灯",
        old_card.pk: "王五 · 村支书",
        kept.pk: "王五 · 城东社区联系卡",
    }


def test_an_appraisal_title_is_spaced_in_english_and_run_together_in_chinese(written):
    """The outside walk read "城东社区2026年度Democratic assessment of…" on English pages."""
    _client, _user, _case, session = written
    with translation.override("zh-hans"):
        chinese = session.title
    with translation.override("en"):
        english = session.title
    assert chinese == f"{session.branch.name}{session.period}{session.get_kind_display()}"
    assert english.startswith(f"{session.branch.name} {session.period}: ")
