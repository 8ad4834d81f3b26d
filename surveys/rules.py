"""Integrity rules applied when a response arrives. Each flag keeps the response (nothing a
resident sends is lost, SPEC §4) and says why, in words a reviewer understands."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

# Fewer seconds than this from opening the page to submitting is implausible for reading and
# answering the default questionnaire; such responses are kept and held for review (SPEC §7).
SPEEDER_SECONDS = 8
# A page's ticket is good for a day: a resident may open the page at the meeting and submit that
# evening; an older ticket shows the form again (answers kept) with a fresh one.
TICKET_MAX_AGE = dt.timedelta(hours=24)

# What each flag means in a few words (a heading of the review queue) ...
FLAG_TITLES = {
    "speeder": _("填写用时少于 %(seconds)s 秒，快于正常阅读速度"),
    "no_device_cookie": _("浏览器未保存设备标识，无法确认是否同一手机重复评价"),
    "serial": _("同一网络地址一份接一份地反复评价"),
    "pace": _("同一网络地址集中提交提前打开的页面"),
    "ahead": _("同一网络地址和浏览器几乎同时打开了大量评价页面"),
    "beyond_audience": _("评价数明显超过登记的参会人数"),
    "duplicate_comment": _("同一条文字意见多次出现（可能是统一口径的“标准答案”）"),
    "helper_pace": _("同一协助人在短时间内代为提交了过多评价"),
    "rated_cadre_phone": _("提交评价的手机后来登录了被评价干部的账号"),
    "late_paper": _("纸质问卷在评价期限结束很久之后才录入"),
    "staff_phone": _("在工作人员登录过的手机上提交"),
    # Codes of earlier versions, kept so that old flags still read in words.
    "device_cluster": _("同一网络地址和浏览器特征对本次活动提交了多份评价"),
    "burst": _("短时间内评价数量超过一次活动的正常人数（可能为集中刷评）"),
}
# ... and in full, with the evidence the check found.
FLAG_REASONS = {
    "speeder": _("填写用时 %(seconds_taken)s 秒，少于 %(seconds)s 秒，快于正常阅读速度"),
    "serial": _(
        "同一网络地址一份接一份地提交了 %(count)s 份评价：每份都在上一份提交后 %(gap)s 秒内"
        "才打开页面，从未同时填写（像一部手机清除记录后反复评价；同一会场的群众是同时扫码填写的）"
    ),
    "pace": _(
        "同一网络地址和浏览器在 %(seconds)s 秒内提交了 %(count)s 份评价，其页面早在提交前 "
        "%(opened)s 秒就已打开（像提前打开多个页面后机器式集中提交）"
    ),
    "ahead": _(
        "同一网络地址和浏览器在 %(seconds)s 秒内打开了 %(count)s 个评价页面（一个人做不到，"
        "像用程序提前批量领取表单）"
    ),
    "beyond_audience": _(
        "本次活动登记参会 %(audience)s 人，这是第 %(rank)s 份评价；超过 %(limit)s 份之后的评价"
        "需核实是否确为到场群众"
    ),
    "duplicate_comment": _(
        "同一条文字意见在本次活动中出现 %(count)s 次（可能是统一口径的“标准答案”）"
    ),
    "helper_pace": _(
        "同一协助人在 %(minutes)s 分钟内协助提交了 %(count)s 份评价（协助一位群众需要几分钟，"
        "像协助人自己代填）"
    ),
    "rated_cadre_phone": _(
        "这部手机提交评价后，被评价干部的账号在这部手机上登录过（共 %(count)s 份），需核实是否为"
        "干部本人或其身边人代评"
    ),
    "late_paper": _(
        "纸质问卷在评价期限结束 %(days)s 天后才录入，超过了收回问卷的宽限期，需核实是否为"
        "活动期间群众填写的问卷"
    ),
    "staff_phone": _(
        "这部手机登录过工作人员的账号：需核实是群众借用手机评价，还是工作人员替群众填写"
        "却没有记为协助填写（协助须用“协助居民评价”）"
    ),
}


def flag_title(code: str) -> str:
    return str(FLAG_TITLES.get(code, code)) % {"seconds": SPEEDER_SECONDS}


def describe_flag(code: str, evidence: dict | None = None) -> str:
    """The flag in full with its evidence; its title when the evidence is missing (old flags)."""
    if code not in FLAG_REASONS or not evidence:
        return flag_title(code)
    try:
        return str(FLAG_REASONS[code]) % {"seconds": SPEEDER_SECONDS, **evidence}
    except (KeyError, TypeError, ValueError):
        return flag_title(code)


def integrity_flags_at_submission(
    *, has_device_cookie: bool, seconds_taken: int | None, staff_phone: bool = False
) -> dict:
    """{code: evidence} of the checks that need only the response itself. `staff_phone`: a
    staff account signed in on the phone (issue 19 §4: help is recorded as 协助填写, so a staff
    phone's plain rating is held until a reviewer knows whose it was)."""
    flags = {}
    if staff_phone:
        flags["staff_phone"] = {}
    if seconds_taken is not None and seconds_taken < SPEEDER_SECONDS:
        flags["speeder"] = {"seconds_taken": seconds_taken}
    if not has_device_cookie:
        flags["no_device_cookie"] = {}
    return flags


# Assisted rating (issue 19 §4): a helper reads each question aloud and taps the answer the
# resident gives, which takes a few minutes a person. More than ASSISTED_PACE_COUNT assisted
# responses by one helper on one link within ASSISTED_PACE_WINDOW cannot each have been a
# resident answering: they are kept and held for review (SPEC §7), like the address checks,
# which do not apply to assisted responses (they come from one phone by design). Six in ten
# minutes leaves room for a short form and a pair of neighbours; twelve in an hour never
# reach it; thirty in two minutes are far past it.
ASSISTED_PACE_COUNT = 6
ASSISTED_PACE_WINDOW = dt.timedelta(minutes=10)
# The roles that may help a resident rate: cadres and grid workers (网格员), issue 19 §4.
ASSISTING_ROLES = ("cadre", "grid")
