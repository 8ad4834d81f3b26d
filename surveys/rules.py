"""Integrity rules applied when a response arrives. Each flag keeps the response (nothing a
resident sends is lost, SPEC §4) and says why, in words a reviewer understands."""

from django.utils.translation import gettext_lazy as _

# Fewer seconds than this from opening the page to submitting is implausible for reading and
# answering the default questionnaire; such responses are kept and held for review (SPEC §7).
SPEEDER_SECONDS = 8

FLAG_REASONS = {
    "speeder": _("填写用时少于 %(seconds)s 秒，快于正常阅读速度"),
    "no_device_cookie": _("浏览器未保存设备标识，无法确认是否同一手机重复评价"),
    "device_cluster": _(
        "同一网络地址和浏览器特征对本次活动提交了多份评价（可能是同一人重复评价；"
        "同一会议室 Wi-Fi 下的正常评价也会如此，请核实）"
    ),
    "duplicate_comment": _("同一条文字意见在本次活动中出现多次（可能是统一口径的“标准答案”）"),
    "burst": _("短时间内评价数量超过一次活动的正常人数（可能为集中刷评）"),
}


def describe_flag(code: str) -> str:
    return str(FLAG_REASONS.get(code, code)) % {"seconds": SPEEDER_SECONDS}


def integrity_flags_at_submission(*, has_device_cookie: bool, seconds_taken: int | None) -> list:
    flags = []
    if seconds_taken is not None and seconds_taken < SPEEDER_SECONDS:
        flags.append("speeder")
    if not has_device_cookie:
        flags.append("no_device_cookie")
    return flags
