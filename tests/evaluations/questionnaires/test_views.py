"""Questionnaire versions without the admin: copy into a draft, edit, preview, publish with the
dissatisfied-answer check (SPEC §4), and who changed what."""

import pytest
from django.urls import reverse

from surveys.models import Choice, QuestionnaireVersion
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, world, questionnaire):
    _, _, counties = world
    user = staff_user("guanli", counties["350901"]["county"], "admin")
    client.force_login(user)
    return client


def draft_of(client, questionnaire) -> QuestionnaireVersion:
    published = questionnaire.latest_published()
    got = client.post(reverse("staff:questionnaires"), {"version": published.pk})
    draft = questionnaire.versions.order_by("-number").first()
    assert got["Location"] == reverse("staff:questionnaire_version", args=[draft.pk])
    return draft


def post_data(draft) -> dict:
    """The edit form as the page sends it, unchanged."""
    questions = list(draft.questions.order_by("position"))
    choices = list(
        Choice.objects.filter(question__version=draft).order_by("question__position", "position")
    )
    data = {"v-intro": draft.intro}
    for prefix, rows in (("q", questions), ("c", choices)):
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)}
    for i, q in enumerate(questions):
        data |= {f"q-{i}-id": q.pk, f"q-{i}-text": q.text, f"q-{i}-help_text": q.help_text}
        data |= {f"q-{i}-required": "on"} if q.required else {}
        data |= {f"q-{i}-is_rating": "on"} if q.is_rating else {}
    for i, c in enumerate(choices):
        data |= {f"c-{i}-id": c.pk, f"c-{i}-label": c.label}
        data |= {f"c-{i}-is_negative": "on"} if c.is_negative else {}
    return data


def test_copy_edit_preview_and_publish(admin, questionnaire):
    draft = draft_of(admin, questionnaire)
    url = reverse("staff:questionnaire_version", args=[draft.pk])
    worst = Choice.objects.filter(question__version=draft, question__code="attitude").get(value="1")
    data = post_data(draft) | {"v-intro": "请如实评价本次下基层活动。"}
    index = next(
        k for k, v in data.items() if k.endswith("-id") and k.startswith("c-") and v == worst.pk
    )
    data[index.replace("-id", "-label")] = "非常不满意"
    assert admin.post(url, data).status_code == 302
    worst.refresh_from_db()
    assert worst.label == "非常不满意"
    preview = admin.get(reverse("staff:questionnaire_preview", args=[draft.pk])).content.decode()
    assert "非常不满意" in preview and "请如实评价本次下基层活动。" in preview
    assert "不能提交" in preview and 'name="ticket"' not in preview.split("<form")[1].split(">")[0]
    assert admin.post(reverse("staff:questionnaire_publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and questionnaire.latest_published() == draft
    history = admin.get(url).context["history"]
    assert any(("选项", "很不满意", "非常不满意") in e.changes for e in history)
    assert {e.who for e in history if e.action == "修改"} == {"guanli"}


def test_publish_refused_without_a_dissatisfied_answer(admin, questionnaire):
    draft = draft_of(admin, questionnaire)
    url = reverse("staff:questionnaire_version", args=[draft.pk])
    data = post_data(draft)
    for key in [k for k in data if k.endswith("-is_negative")]:
        del data[key]
    assert admin.post(url, data).status_code == 302
    page = admin.get(url).content.decode()
    assert "没有表示不满意的选项，不能发布" in page
    got = admin.post(reverse("staff:questionnaire_publish", args=[draft.pk]), follow=True)
    assert "没有表示不满意的选项，不能发布" in got.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_version_is_not_edited(admin, questionnaire):
    published = questionnaire.latest_published()
    url = reverse("staff:questionnaire_version", args=[published.pk])
    page = admin.get(url)
    assert page.context["forms"] is None
    assert admin.post(url, {"v-intro": "改"}).status_code == 403
    published.refresh_from_db()
    assert published.intro != "改"


def test_readers_look_but_only_the_administrator_changes(client, world, questionnaire):
    _, _, counties = world
    client.force_login(staff_user("officer", counties["350901"]["county"], "personnel"))
    published = questionnaire.latest_published()
    assert client.get(reverse("staff:questionnaires")).status_code == 200
    assert (
        client.get(reverse("staff:questionnaire_preview", args=[published.pk])).status_code == 200
    )
    assert (
        client.post(reverse("staff:questionnaires"), {"version": published.pk}).status_code == 403
    )
    assert (
        client.post(reverse("staff:questionnaire_publish", args=[published.pk])).status_code == 403
    )
    assert questionnaire.versions.count() == 1


@pytest.mark.parametrize("version", ["abc", "", "-1", "99999"])
def test_a_version_that_is_none_is_a_404_not_a_server_error(admin, version):
    """Scenario: POST version=abc to the questionnaire list answered 500 (ValueError)."""
    assert admin.post(reverse("staff:questionnaires"), {"version": version}).status_code == 404
