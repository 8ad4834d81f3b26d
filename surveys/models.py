"""The response engine: questionnaires, rating links, responses. It knows nothing of cadres."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from surveys.errors import SurveyError


def new_token() -> str:
    # 12 random bytes -> 16 URL-safe characters, 96 bits: unguessable, yet short enough that
    # SITE_URL/r/<token>/ stays a low-version QR code that cheap cameras read from a poster.
    return secrets.token_urlsafe(12)


def in_language(chinese: str, english: str) -> str:
    """A questionnaire's words for the reader: the English stored beside the Chinese when English
    is the active language, the Chinese otherwise and wherever no English was written."""
    language = translation.get_language() or ""
    return english if english and language.startswith("en") else chinese


class Questionnaire(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self):
        return self.title

    @property
    def shown_title(self):
        from surveys.defaults import SHIPPED_TITLES
        from surveys.notes import shipped

        return shipped(self.title, SHIPPED_TITLES)

    def latest_published(self):
        return self.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).last()


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    questionnaire = models.ForeignKey(
        Questionnaire, models.PROTECT, related_name="versions", verbose_name=_("问卷")
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=12, choices=Status, default=Status.DRAFT)
    intro = models.TextField(_("开头语"), blank=True)
    intro_en = models.TextField(_("开头语（英文）"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        """A version that anyone has answered never changes again; edits make a new version."""
        return self.status != self.Status.DRAFT or self.responses.exists()

    def shown_intro(self) -> str:
        return in_language(self.intro, self.intro_en)

    def ordered_questions(self):
        return self.questions.order_by("position").prefetch_related("choices")


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE5 = "scale5", _("五级量表")
        SINGLE = "single", _("单选")
        YESNO = "yesno", _("是/否/不清楚")
        TEXT = "text", _("文字")

    version = models.ForeignKey(
        QuestionnaireVersion, models.CASCADE, related_name="questions", verbose_name=_("版本")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    code = models.SlugField(_("代码"), max_length=40, help_text=_("跨版本稳定的题目代码"))
    text = models.CharField(_("题目"), max_length=200)
    help_text = models.CharField(_("提示"), max_length=200, blank=True)
    text_en = models.CharField(_("题目（英文）"), max_length=200, blank=True)
    help_text_en = models.CharField(_("提示（英文）"), max_length=200, blank=True)
    kind = models.CharField(_("题型"), max_length=10, choices=Kind)
    required = models.BooleanField(_("必答"), default=True)
    is_rating = models.BooleanField(
        _("评价题"), default=True, help_text=_("评价题必须提供表示不满意的选项才能发布")
    )
    max_length = models.PositiveIntegerField(_("最多字数"), default=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique"),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        if self.version_id and self.version.is_frozen:
            raise SurveyError("frozen")
        super().save(*args, **kwargs)

    def shown_text(self) -> str:
        return in_language(self.text, self.text_en)

    def shown_help_text(self) -> str:
        return in_language(self.help_text, self.help_text_en)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="choices", verbose_name=_("题目")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    value = models.CharField(_("值"), max_length=20)
    label = models.CharField(_("选项"), max_length=80)
    label_en = models.CharField(_("选项（英文）"), max_length=80, blank=True)
    score = models.SmallIntegerField(_("分值"), null=True, blank=True)
    is_negative = models.BooleanField(
        _("表示不满意"), default=False, help_text=_("不满意、未解决或违反纪律的回答")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self.question.version.is_frozen:
            raise SurveyError("frozen")
        super().save(*args, **kwargs)

    def shown_label(self) -> str:
        return in_language(self.label, self.label_en)


class RatingLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=now),
            Q(valid_until__isnull=True) | Q(valid_until__gt=now),
            is_enabled=True,
        )


class RatingLink(models.Model):
    """A short unguessable token behind a QR code. What it rates is told by its `title`;
    the app that owns the subject (a visit, a case, a cadre's card) points at the link."""

    token = models.CharField(_("令牌"), max_length=32, unique=True, default=new_token)
    title = models.CharField(_("评价对象"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, models.PROTECT, related_name="links", verbose_name=_("问卷")
    )
    valid_from = models.DateTimeField(_("开始时间"), null=True, blank=True)
    valid_until = models.DateTimeField(_("截止时间"), null=True, blank=True)
    max_responses = models.PositiveIntegerField(_("评价数上限"), null=True, blank=True)
    expected_audience = models.PositiveIntegerField(
        _("参会人数"),
        null=True,
        blank=True,
        help_text=_("登记的参会或到场人数；评价数明显超过它时，超出的评价待复核"),
    )
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RatingLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价链接")
        verbose_name_plural = _("评价链接")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="link_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.token})"

    def get_absolute_url(self):
        return f"/r/{self.token}/"

    def public_url(self) -> str:
        from django.conf import settings

        return f"{settings.SITE_URL}/r/{self.token}/"

    def state(self, now=None) -> str:
        """'open', 'not_yet', 'expired', 'disabled' or 'full' (cap reached)."""
        now = now or timezone.now()
        if not self.is_enabled:
            return "disabled"
        if self.valid_from and now < self.valid_from:
            return "not_yet"
        if self.valid_until and now >= self.valid_until:
            return "expired"
        if self.max_responses is not None and self.responses.count() >= self.max_responses:
            return "full"
        return "open"


class Response(models.Model):
    """One resident's answers. Never deleted or edited; suspicious ones are flagged and
    excluded from official scores until a reviewer decides (the decision is recorded)."""

    class Review(models.TextChoices):
        VALID = "valid", _("有效")
        FLAGGED = "flagged", _("待复核")
        CLEARED = "cleared", _("复核通过")
        EXCLUDED = "excluded", _("复核排除")

        @classmethod
        def counted(cls) -> tuple[str, str]:
            """The states that count in every figure: valid, or cleared on review."""
            return (cls.VALID, cls.CLEARED)

    class Channel(models.TextChoices):
        """How the answers reached us (issue 19): every report and export says which."""

        WEB = "web", _("手机扫码")
        PAPER = "paper", _("纸质问卷")
        ASSISTED = "assisted", _("协助填写")

    link = models.ForeignKey(
        RatingLink, models.PROTECT, related_name="responses", verbose_name=_("评价链接")
    )
    version = models.ForeignKey(
        QuestionnaireVersion, models.PROTECT, related_name="responses", verbose_name=_("问卷版本")
    )
    submission_id = models.UUIDField(_("提交编号"), unique=True)
    device_id = models.CharField(_("设备标识"), max_length=64)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    # True once `integrity.coarsen_times` has cut submitted_at to the minute (after two days).
    submitted_to_minute = models.BooleanField(
        _("提交时间已取整到分钟"), default=False, editable=False
    )
    ip_hash = models.CharField(_("IP 哈希"), max_length=64, blank=True)
    ua_hash = models.CharField(_("浏览器哈希"), max_length=64, blank=True)
    seconds_taken = models.PositiveIntegerField(_("填写用时(秒)"), null=True, blank=True)
    review = models.CharField(_("复核状态"), max_length=10, choices=Review, default=Review.VALID)
    flags = models.JSONField(_("疑点"), default=list, blank=True)
    channel = models.CharField(
        _("评价渠道"), max_length=10, choices=Channel, default=Channel.WEB, editable=False
    )
    # Who helped a resident rate (assisted) or entered a paper sheet first: staff accountability;
    # the resident stays unnamed.
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="helped_responses",
        verbose_name=_("协助人"),
    )

    # The per-link key of the phone an assisted rating was typed on (as device_id is a web
    # rating's), so that the rated cadre signing in on that phone later holds it for review.
    helper_phone = models.CharField(
        _("协助所用手机"), max_length=64, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            # One response per device per link, enforced by the database (SPEC §4).
            models.UniqueConstraint(fields=["link", "device_id"], name="one_response_per_device"),
            # An assisted rating always names the staff member who helped (issue 19 §4).
            models.CheckConstraint(
                condition=~Q(channel="assisted") | Q(helper__isnull=False),
                name="assisted_names_its_helper",
            ),
        ]
        indexes = [
            models.Index(fields=["link", "submitted_at"]),
            # The rows the daily job still has to cut: few, however long the history.
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_to_minute=False),
                name="response_times_to_cut",
            ),
        ]

    def __str__(self):
        return f"{self.link.token} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def counts_officially(self) -> bool:
        return self.review in (self.Review.VALID, self.Review.CLEARED)


class Flag(models.Model):
    """Why one response waits for review: a check's code, the cluster it found the response in
    (one reviewer decision can settle a whole cluster) and the evidence, in numbers."""

    response = models.ForeignKey(
        Response, models.CASCADE, related_name="flag_rows", verbose_name=_("评价")
    )
    code = models.CharField(_("疑点"), max_length=30)
    cluster = models.CharField(_("疑点组"), max_length=120)
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("疑点")
        verbose_name_plural = _("疑点")
        constraints = [
            models.UniqueConstraint(fields=["response", "code"], name="one_flag_per_code"),
        ]
        indexes = [models.Index(fields=["cluster"])]

    def __str__(self):
        return f"{self.response_id} {self.code}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, models.CASCADE, related_name="answers", verbose_name=_("评价")
    )
    question = models.ForeignKey(
        Question, models.PROTECT, related_name="answers", verbose_name=_("题目")
    )
    value = models.CharField(_("选项值"), max_length=20, blank=True)
    score = models.SmallIntegerField(_("分值"), null=True, blank=True)
    text = models.TextField(_("文字"), blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=5),
                name="answer_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.question.code}={self.value or self.text[:20]}"


class ReviewDecision(models.Model):
    """A reviewer's recorded decision on a flagged response (SPEC §4: the review is recorded)."""

    response = models.ForeignKey(
        Response, models.PROTECT, related_name="decisions", verbose_name=_("评价")
    )
    decision = models.CharField(_("结论"), max_length=10, choices=Response.Review)
    reason = models.CharField(_("理由"), max_length=300)
    reviewer = models.ForeignKey(
        "auth.User", models.PROTECT, related_name="+", verbose_name=_("复核人")
    )
    cluster = models.CharField(
        _("疑点组"), max_length=120, blank=True, help_text=_("整组一次复核时的疑点组")
    )
    decided_at = models.DateTimeField(_("复核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("复核记录")
        verbose_name_plural = _("复核记录")
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.response_id} → {self.decision}"


class SpokenText(models.Model):
    """A text read aloud (the 朗读 button, issue 19), rendered once to MP3 and shared by every
    question, version and questionnaire that says the same words with the same voice."""

    digest = models.CharField(_("摘要"), max_length=64, primary_key=True)
    voice = models.CharField(_("语音"), max_length=20)
    text = models.TextField(_("文字"))
    audio = models.BinaryField(_("音频"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("朗读音频")
        verbose_name_plural = _("朗读音频")

    def __str__(self):
        return f"{self.voice}: {self.text[:20]}"


# The ballot part of the engine lives in its own module; importing it here registers its models.
# The phones staff sign in on (assisted rating, issue 19 §4).
from surveys.assisted.models import StaffDevice  # noqa: E402, F401
from surveys.ballots.models import AdmissionCode, Ballot, BallotBox  # noqa: E402, F401
from surveys.paper.models import PaperBatch, PaperEntry  # noqa: E402, F401
