"""The org-unit tree, cadres, their posts over time (tenures) and staff accounts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.org.jurisdiction import JurisdictionQuerySet


class OrgUnitQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "path"
    cadre_sees_subtree = True  # a cadre picks the target unit of a visit from the subtree

    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)


class OrgUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市(州)")
        COUNTY = "county", _("县(市、区)")
        TOWNSHIP = "township", _("乡镇(街道)")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")
        ENTERPRISE = "enterprise", _("企业")
        SCHOOL = "school", _("学校")
        ORGAN = "organ", _("机关部门")

    code = models.CharField(_("单位代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    # Materialised path of codes ("/350000/350900/"): a jurisdiction is a prefix query.
    path = models.CharField(_("路径"), max_length=500, editable=False, db_index=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def contains(self, other: "OrgUnit") -> bool:
        return other.path.startswith(self.path)

    def ancestor_at(self, level: str) -> "OrgUnit | None":
        unit = self
        while unit is not None and unit.level != level:
            unit = unit.parent
        return unit


# What a post's unit level says about the post when nothing else does (see post_category_for).
SEAT_CATEGORY = {"province": "party_gov", "city": "party_gov", "county": "party_gov"}
# 001 §一: 人大、政协 leaders are not 党政 leaders; their posts name the body.
CONGRESS_CPPCC_POST = ("人大", "政协")


class PostCategory(models.TextChoices):
    """Which body a post belongs to (001 §一 separates 省市县党政领导班子成员 from 部门领导干部)."""

    PARTY_GOV = "party_gov", _("党政领导班子成员")
    CONGRESS_CPPCC = "congress_cppcc", _("人大/政协领导")
    DEPARTMENT = "department", _("部门领导")
    TOWNSHIP = "township", _("乡镇领导")
    OTHER = "other", _("其他")


def post_category_for(*, unit: "OrgUnit", post: str, is_standing_committee: bool) -> str:
    """The default category of a post, when the roster leaves it blank: 人大/政协 by the post's
    title; a 常委 is a member of the 党政班子 wherever he sits; otherwise by the unit's level
    (a 机关部门 → 部门领导, a 乡镇 → 乡镇领导, a 省/市/县 → 党政班子, else 其他)."""
    if any(word in post for word in CONGRESS_CPPCC_POST):
        return PostCategory.CONGRESS_CPPCC
    if is_standing_committee:
        return PostCategory.PARTY_GOV
    if unit.level == OrgUnit.Level.ORGAN:
        return PostCategory.DEPARTMENT
    if unit.level == OrgUnit.Level.TOWNSHIP:
        return PostCategory.TOWNSHIP
    return SEAT_CATEGORY.get(unit.level, PostCategory.OTHER)


def category_of(obj) -> str:
    """A cadre's or tenure's post category: the recorded one, else the default for its post."""
    return obj.post_category or post_category_for(
        unit=obj.unit, post=obj.post, is_standing_committee=obj.is_standing_committee
    )


def _fill_post_category(obj) -> None:
    obj.post_category = category_of(obj)


def seat_levels(units) -> dict[int, str | None]:
    """The level of the body each unit belongs to: its own level, or for a 机关部门 (and units
    under it) the nearest ancestor that is not one (a county's 组织部 → "county"). One query."""
    units = list(units)
    codes = {c for u in units for c in u.path.strip("/").split("/")}
    levels = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "level"))
    seats = {}
    for unit in units:
        chain = [levels.get(c) for c in unit.path.strip("/").split("/")]
        seats[unit.pk] = next((lv for lv in reversed(chain) if lv and lv != "organ"), None)
    return seats


class CadreQuerySet(JurisdictionQuerySet):
    unit_path_lookup = "unit__path"
    own_lookups = ("pk",)


class Cadre(models.Model):
    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡科级")
        GENERAL = "general", _("一般干部")

    code = models.CharField(_("干部编号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=40)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="cadres", verbose_name=_("单位"))
    level = models.CharField(_("职级"), max_length=12, choices=Level)
    post = models.CharField(_("职务"), max_length=100)
    post_category = models.CharField(
        _("职务类别"),
        max_length=16,
        choices=PostCategory,
        blank=True,
        help_text=_("留空时按单位层级和职务名称推断"),
    )
    is_principal = models.BooleanField(_("党政主要领导"), default=False)
    is_standing_committee = models.BooleanField(_("常委会委员"), default=False)
    is_party_member = models.BooleanField(_("党员"), default=True)
    is_active = models.BooleanField(_("在职"), default=True)
    on_leave = models.BooleanField(_("长期离岗(病休等)"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("登录账号"),
    )
    contact_link = models.OneToOneField(
        "surveys.RatingLink",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre_card",
        verbose_name=_("联系卡评价链接"),
    )

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["unit__path", "code"]

    def __str__(self):
        return gettext("%(name)s（%(post)s）") % {"name": self.name, "post": self.post}

    def save(self, *args, **kwargs):
        _fill_post_category(self)
        super().save(*args, **kwargs)


class StaffProfile(models.Model):
    """Every staff account belongs to one org unit; its roles are Django groups (SPEC §1)."""

    class Role(models.TextChoices):
        CADRE = "cadre", _("干部")
        SECRETARY = "secretary", _("党支部书记")
        PERSONNEL = "personnel", _("组织人事部门")
        DISCIPLINE = "discipline", _("纪检监察")
        ADMIN = "admin", _("管理员")
        # A grid worker (网格员) helps residents rate (issue 19 §4); no staff pages of its own.
        GRID = "grid", _("网格员")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("账号"),
    )
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="staff", verbose_name=_("所属单位")
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self):
        return f"{self.user.get_username()} @ {self.unit}"

    def roles(self) -> set[str]:
        # Group names are the role codes ("personnel", ...), stable across languages.
        if not hasattr(self, "_roles"):  # asked on every staff query: once per request
            self._roles = set(self.user.groups.values_list("name", flat=True)) & set(
                self.Role.values
            )
        return self._roles

    def is_cadre_only(self) -> bool:
        return self.roles() <= {self.Role.CADRE.value}


class Tenure(models.Model):
    """A cadre's post over a span of dates; compliance is judged per tenure (SPEC §2)."""

    cadre = models.ForeignKey(Cadre, models.CASCADE, related_name="tenures", verbose_name=_("干部"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, verbose_name=_("单位"))
    level = models.CharField(_("职级"), max_length=12, choices=Cadre.Level)
    post = models.CharField(_("职务"), max_length=100)
    post_category = models.CharField(_("职务类别"), max_length=16, choices=PostCategory, blank=True)
    is_principal = models.BooleanField(_("党政主要领导"), default=False)
    is_standing_committee = models.BooleanField(_("常委会委员"), default=False)
    start = models.DateField(_("任职开始"))
    end = models.DateField(_("任职结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        ordering = ["cadre", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="tenure_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.cadre.name} {self.post} {self.start}–{self.end or ''}"

    def save(self, *args, **kwargs):
        _fill_post_category(self)
        super().save(*args, **kwargs)
