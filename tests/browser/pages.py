"""The staff pages every demo account reaches, for the phone-size and accessibility walks."""

from evaluations.models import AppraisalSession, Case, Visit

PHONE_390 = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}

COMMON = ["/staff/", "/staff/inbox/", "/staff/visits/", "/staff/cases/", "/staff/cases/metrics/"]
ACCOUNTS = {  # demo account -> the pages of its role (README's tour)
    "zhangwei": [
        "/staff/me/visits/",
        "/staff/me/quota/",
        "/staff/reports/me/",
        "/staff/cases/new/",
    ],
    "shuji": ["/staff/appraisal/", "/staff/appraisal/new/"],
    "zuzhibu": [
        "/staff/reports/",
        "/staff/reports/summary/",
        "/staff/compliance/",
        "/staff/contacts/",
        "/staff/roster/import/",
        "/staff/reports/assessment/",
        "/staff/appraisal/",
        "/staff/cases/overdue/",
        "/staff/visits/diaries/",
        "/staff/rulesets/",
        "/staff/plans/",
        "/staff/rota/",
        "/staff/questionnaires/",
        "/staff/meetings/",
    ],
    "jijian": ["/staff/discipline/", "/staff/review/"],
}


def detail_pages(username: str) -> list[str]:
    """Pages behind a row of the demo data, for the account that owns them."""
    if username == "zhangwei":
        visit = Visit.objects.filter(lead__code="C008", rating_link__isnull=False).first()
        return [f"/staff/me/visits/{visit.pk}/"]
    if username == "shuji":
        sessions = list(AppraisalSession.objects.select_related("box"))
        return [
            f"/staff/appraisal/{s.pk}/results/" if s.is_closed else f"/staff/appraisal/{s.pk}/"
            for s in sessions
        ] + [
            path
            for s in sessions
            if not s.is_closed
            for path in (
                f"/staff/appraisal/{s.pk}/close/",
                f"/staff/appraisal/{s.pk}/turnout/?live=1",
            )
        ]
    if username == "zuzhibu":
        case = Case.objects.order_by("pk").first()
        cadre = Visit.objects.first().lead
        return [f"/staff/cases/{case.pk}/", f"/staff/reports/cadres/{cadre.pk}/"]
    return []


def pages_of(username: str) -> list[str]:
    return COMMON + ACCOUNTS[username] + detail_pages(username)


def sign_in(page, username: str, password: str):
    page.goto("/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login/" not in url)
