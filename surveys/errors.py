"""The one domain exception of the response engine, with its messages beside it."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "frozen": _("该问卷版本已发布或已有评价，不能修改；请另存为新版本后再编辑。"),
    "no_dissatisfied": _("评价题“%(question)s”没有表示不满意的选项，不能发布。"),
    "no_choices": _("题目“%(question)s”没有选项，不能发布。"),
    "empty": _("问卷版本没有题目，不能发布。"),
    "not_draft": _("只有草稿可以发布。"),
}


class SurveyError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(str(MESSAGES[code]) % params if params else str(MESSAGES[code]))
