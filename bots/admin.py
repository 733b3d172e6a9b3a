"""Admin for bots: history inline and read-only, changes through the same code paths as the API.

Code and version numbers are never edited in place here (that would bypass the version
history): a new bot is created with `bot_submit`, and "roll back" calls `bot_rollback` (a
rollback qualifies like a submission).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from bots.errors import BotVersionNotFoundError
from bots.models import Bot, BotVersion
from bots.services import bot_rollback, bot_submit
from bots.validation import check_bot_code, check_bot_name
from gamearena.errors import InvalidInputError

if TYPE_CHECKING:
    # django-stubs' generics; at run time the plain classes (no stubs monkeypatch needed).
    BotAdminBase = admin.ModelAdmin[Bot]
    BotVersionInlineBase = admin.TabularInline[BotVersion, Bot]
    BotModelForm = forms.ModelForm[Bot]
else:
    BotAdminBase = admin.ModelAdmin
    BotVersionInlineBase = admin.TabularInline
    BotModelForm = forms.ModelForm

CODE_STYLE = "white-space: pre; font-family: monospace; max-height: 30em; overflow: auto; margin: 0"


def code_block(code: str) -> SafeString:
    # format_html escapes the code: bot source is user input and must never become markup.
    return format_html('<pre style="{}">{}</pre>', CODE_STYLE, code)


class BotVersionInline(BotVersionInlineBase):
    model = BotVersion
    extra = 0
    can_delete = False
    ordering = ["-version_number"]
    fields = readonly_fields = (
        "version_number", "description", "qualification_status", "qualification_reason",
        "match_count", "win_count", "created_at", "code_view",
    )  # fmt: skip

    @admin.display(description="code")
    def code_view(self, version: BotVersion) -> SafeString:
        return code_block(version.code)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # versions come only from submissions and rollbacks


def _checked(check: Any, value: Any) -> Any:
    try:
        return check(value)
    except InvalidInputError as error:
        raise forms.ValidationError(error.message, code=error.code) from None


class BotAddForm(BotModelForm):
    """Adding a bot: the API's rules apply; the model form adds the (owner, name) check."""

    # strip=False: leading indentation and the final newline are part of the code.
    code = forms.CharField(
        strip=False, widget=forms.Textarea(attrs={"style": "font-family: monospace", "cols": 100})
    )

    class Meta:
        model = Bot
        fields = ["owner", "name", "code"]

    def clean_name(self) -> str:
        return str(_checked(check_bot_name, self.cleaned_data.get("name")))

    def clean_code(self) -> str:
        # Browsers submit textarea lines ending in CRLF whatever was typed or pasted; store
        # the code as the API does, or every diff against an API upload would differ on
        # every line.
        code = str(self.cleaned_data.get("code", "")).replace("\r\n", "\n")
        return str(_checked(check_bot_code, code))


class RollbackForm(forms.Form):
    version_number = forms.IntegerField(min_value=1, label="Version to roll back to")


@admin.register(Bot)
class BotAdmin(BotAdminBase):
    list_display = [
        "name", "owner", "version_number", "elo_rating", "match_count", "win_count",
        "is_active", "updated_at",
    ]  # fmt: skip
    list_filter = ["is_active", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    ordering = ["owner__username", "name"]
    inlines = [BotVersionInline]
    actions = ["activate", "deactivate", "rollback_to_version"]
    readonly_fields = (
        "code_view", "version_number", "elo_rating", "match_count", "win_count",
        "created_at", "updated_at",
    )  # fmt: skip
    fields = ("owner", "name", "is_active", *readonly_fields)

    @admin.display(description="current code")
    def code_view(self, bot: Bot) -> SafeString:
        return code_block(bot.code)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = BotAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["owner", "name", "code"] if obj is None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else super().get_inline_instances(request, obj)

    def save_model(self, request: HttpRequest, obj: Bot, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new bot goes through the service, so it gets its version 1 like any other.
        result = bot_submit(owner=obj.owner, name=obj.name, code=obj.code)
        obj.pk = result.bot.pk
        obj.refresh_from_db()

    @admin.action(description="Activate selected bots")
    def activate(self, request: HttpRequest, queryset: QuerySet[Bot]) -> None:
        count = queryset.update(is_active=True)
        self.message_user(request, f"Activated {count} bot(s).", messages.SUCCESS)

    @admin.action(description="Deactivate selected bots (history is kept)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Bot]) -> None:
        count = queryset.update(is_active=False)
        self.message_user(request, f"Deactivated {count} bot(s).", messages.SUCCESS)

    @admin.action(description="Roll back selected bots to a chosen version")
    def rollback_to_version(
        self, request: HttpRequest, queryset: QuerySet[Bot]
    ) -> HttpResponse | None:
        """First call shows a form asking for the version; its submission performs the rollback."""
        form = RollbackForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Roll back bots",
                "opts": self.model._meta,
                "bots": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/bots/bot/rollback.html", context)
        self._rollback_each(request, queryset, form.cleaned_data["version_number"])
        return None

    def _rollback_each(self, request: HttpRequest, queryset: QuerySet[Bot], number: int) -> None:
        for bot in queryset.select_related("owner"):
            try:
                version = bot_rollback(bot=bot, version_number=number).version
            except BotVersionNotFoundError:
                self.message_user(
                    request, f"{bot.name}: has no version {number}; unchanged.", messages.ERROR
                )
                continue
            now = version.version_number
            done = f"{bot.name}: rolled back to version {number} (now version {now})."
            self.message_user(request, done, messages.SUCCESS)
