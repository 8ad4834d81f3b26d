"""The roster upload form (花名册导入). Size, type and rows are checked by the importer, which
answers every problem in Chinese with its row number."""

from django import forms
from django.utils.translation import gettext_lazy


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("花名册文件（.xlsx）"),
        help_text=gettext_lazy(
            "请使用下载的模板填写；同一单位代码、干部编号再次导入时更新原记录。"
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("只检查，不导入"),
        required=False,
        help_text=gettext_lazy(
            "先检查文件中的错误并显示将要新增、更新的数量，数据库不作任何改动。"
        ),
    )
