"""The shipped questionnaires, as data. Editing one in the admin makes a new version.

`default`: SPEC §4 / seed 002 (工作态度、工作作风、工作实绩; 轻车简从、不扰民; 吃请礼品; 基层负担).
`haochaping`: the national 政务服务“好差评” five-level scale, one rating per service (一次一评).
"""

from django.utils.translation import gettext_noop

# The shipped questionnaires' titles, marked for translation: shown in the reader's language
# until someone renames them (Questionnaire.shown_title).
SHIPPED_TITLES = frozenset((gettext_noop("干部下基层群众评价表"), gettext_noop("政务服务“好差评”")))

SCALE5 = [  # score 1..5; 1 and 2 are the dissatisfied answers
    ("1", "很不满意", 1, True),
    ("2", "不满意", 2, True),
    ("3", "一般", 3, False),
    ("4", "满意", 4, False),
    ("5", "很满意", 5, False),
]
YES_NO_UNKNOWN = [("yes", "是"), ("no", "否"), ("unknown", "不清楚")]


def _yesno(negative: str):
    return [(v, label, None, v == negative) for v, label in YES_NO_UNKNOWN]


DEFAULT = {
    "code": "default",
    "title": "干部下基层群众评价表",
    "intro": "请根据您的亲身感受如实评价，没有标准答案，不满意请直接选择不满意。",
    "intro_en": (
        "Please rate from your own experience. There are no standard answers: if you are not"
        " satisfied, simply choose dissatisfied."
    ),
    "questions": [
        # (code, text, kind, required, is_rating, choices)
        ("attitude", "工作态度", "scale5", True, True, SCALE5),
        ("style", "工作作风", "scale5", True, True, SCALE5),
        ("results", "工作实绩", "scale5", True, True, SCALE5),
        (
            "overall",
            "总体评价",
            "single",
            True,
            True,
            [
                ("satisfied", "满意", 3, False),
                ("basic", "基本满意", 2, False),
                ("dissatisfied", "不满意", 1, True),
            ],
        ),
        ("light_travel", "是否轻车简从、不扰民", "yesno", False, True, _yesno("no")),
        ("gifts", "是否接受吃请或收受礼品", "yesno", False, True, _yesno("yes")),
        ("burden", "是否增加基层负担", "yesno", False, True, _yesno("yes")),
        (
            "problem",
            "您反映的问题是否得到解决",
            "single",
            False,
            True,
            [
                ("on_spot", "当场解决", None, False),
                ("in_progress", "正在办理", None, False),
                ("unsolved", "未解决", None, True),
                ("none", "未反映问题", None, False),
            ],
        ),
        # Optional 反映问题: the engine only stores the text; the app owning the subject decides
        # what to do with it (evaluations opens a case in the problem ledger).
        ("problem_report", "您想反映的问题（选填）", "text", False, False, []),
        (
            "category",
            "您的身份",
            "single",
            False,
            False,
            [
                ("masses", "群众", None, False),
                ("grassroots_cadre", "基层干部", None, False),
                ("worker", "企业职工", None, False),
                ("other", "其他", None, False),
            ],
        ),
        ("comment", "意见和建议（选填）", "text", False, False, []),
    ],
}

HAOCHAPING = {
    "code": "haochaping",
    "title": "政务服务“好差评”",
    "intro": "一次服务，一次评价。",
    "intro_en": "One service, one rating.",
    "questions": [
        (
            "service",
            "您对本次服务的评价",
            "single",
            True,
            True,
            [
                ("5", "非常满意", 5, False),
                ("4", "满意", 4, False),
                ("3", "基本满意", 3, False),
                ("2", "不满意", 2, True),
                ("1", "非常不满意", 1, True),
            ],
        ),
        ("comment", "意见和建议（选填）", "text", False, False, []),
    ],
}

SHIPPED = [DEFAULT, HAOCHAPING]

# The English stored beside the Chinese of the shipped questionnaires (issue 18 §8): by question
# code, and by choice label (a label reads the same in every question that offers it).
QUESTIONS_EN = {
    "attitude": "Work attitude",
    "style": "Work style",
    "results": "Work results",
    "overall": "Overall rating",
    "light_travel": "Did the cadres travel light and not disturb the people?",
    "gifts": "Did they accept meals or gifts?",
    "burden": "Did the visit add to the grassroots' burden?",
    "problem": "Has the problem you raised been solved?",
    "problem_report": "A problem you would like to raise (optional)",
    "category": "You are",
    "comment": "Comments and suggestions (optional)",
    "service": "How do you rate this service?",
}
CHOICES_EN = {
    "很不满意": "Very dissatisfied",
    "不满意": "Dissatisfied",
    "一般": "Fair",
    "满意": "Satisfied",
    "很满意": "Very satisfied",
    "基本满意": "Basically satisfied",
    "是": "Yes",
    "否": "No",
    "不清楚": "Not sure",
    "当场解决": "Solved on the spot",
    "正在办理": "Being handled",
    "未解决": "Not solved",
    "未反映问题": "I raised no problem",
    "群众": "Resident",
    "基层干部": "Grassroots cadre",
    "企业职工": "Enterprise employee",
    "其他": "Other",
    "非常满意": "Very satisfied",
    "非常不满意": "Very dissatisfied",
}


def install(models, spec: dict, *, publish_at):
    """Create questionnaire `spec` with a published version 1 unless it exists. `models` maps
    names to model classes (real ones, or historical ones inside a migration)."""
    questionnaire, created = models["Questionnaire"].objects.get_or_create(
        code=spec["code"], defaults={"title": spec["title"]}
    )
    if not created and questionnaire.versions.exists():
        return questionnaire
    version = models["QuestionnaireVersion"].objects.create(
        questionnaire=questionnaire,
        number=1,
        status="published",
        intro=spec["intro"],
        published_at=publish_at,
    )
    for position, (code, text, kind, required, is_rating, choices) in enumerate(spec["questions"]):
        question = models["Question"].objects.create(
            version=version,
            position=position,
            code=code,
            text=text,
            kind=kind,
            required=required,
            is_rating=is_rating,
        )
        models["Choice"].objects.bulk_create(
            models["Choice"](
                question=question,
                position=i,
                value=value,
                label=label,
                score=score,
                is_negative=negative,
            )
            for i, (value, label, score, negative) in enumerate(choices)
        )
    # Migration 0002 runs before the English fields exist (0007 adds them and fills them).
    if any(f.name == "text_en" for f in models["Question"]._meta.get_fields()):
        fill_english(models, spec)
    return questionnaire


def fill_english(models, spec: dict) -> None:
    """Write the English of `spec` beside the Chinese in the versions already stored, where a
    question or choice still reads as shipped (an edited text keeps its empty English field)."""
    versions = models["QuestionnaireVersion"].objects.filter(questionnaire__code=spec["code"])
    versions.filter(intro=spec["intro"]).update(intro_en=spec.get("intro_en", ""))
    for code, text, *_rest in spec["questions"]:
        if code in QUESTIONS_EN:
            models["Question"].objects.filter(version__in=versions, code=code, text=text).update(
                text_en=QUESTIONS_EN[code]
            )
    choices = models["Choice"].objects.filter(question__version__in=versions)
    for label, english in CHOICES_EN.items():
        choices.filter(label=label).update(label_en=english)
