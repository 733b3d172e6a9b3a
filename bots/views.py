"""The bots' pages: my bots, submit and edit, a bot's page, its diffs, roll back, ask for a
battle. Thin views (STYLE #3): the API's input serializers check the input, the services the
API calls do the writes, and errors show next to their field with the API's codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from battles.housebots import HOUSE_BOTS
from battles.profiles import timing_profile_get
from battles.selectors import battle_list
from battles.serializers import BattleRequestInputSerializer
from battles.services import battle_request
from bots.diffing import side_by_side
from bots.errors import BotNotFoundError
from bots.models import Bot
from bots.selectors import (
    access_bot,
    bot_get_public,
    bot_list,
    bot_list_public,
    bot_version_codes,
    bot_version_diff,
    bot_version_list,
)
from bots.serializers import BotSubmitInputSerializer, BotUpdateInputSerializer
from bots.services import bot_rollback, bot_submit, bot_update
from gamearena.env import arena_settings
from gamearena.errors import DomainError
from gamearena.forms import PageErrors, errors_from_domain, errors_from_serializer

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RECENT_BATTLES = 20
OPPONENTS_LISTED = 50
# Service codes, and the form field each one is about (the others show above the form).
SUBMIT_FIELDS = {
    "invalid_name": "name",
    "invalid_code": "code",
    "empty_code": "code",
    "code_too_long": "code",
    "invalid_description": "description",
    "description_too_long": "description",
}


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)  # behind login_required: a real account


def _owned(request: HttpRequest, bot_id: int) -> Bot:
    """The signed-in owner's bot; 404 for anyone else, as the API answers."""
    try:
        return access_bot(user=request.user, bot_id=bot_id)
    except BotNotFoundError:
        raise Http404("No such bot of yours.") from None


@login_required
def bot_mine(request: HttpRequest) -> HttpResponse:
    return render(request, "bots/mine.html", {"bots": bot_list(owner=_user(request))})


@login_required
@require_http_methods(["GET", "POST"])
def bot_new(request: HttpRequest) -> HttpResponse:
    """Upload code: a new name makes a bot, an existing name of yours gets a new version."""
    if request.method == "GET":
        return render(request, "bots/submit.html", {"values": {}})
    values = {key: request.POST.get(key, "") for key in ("name", "code", "description")}
    return _submit(request, values, template="bots/submit.html", context={})


def _submit(
    request: HttpRequest, values: dict[str, str], *, template: str, context: dict[str, Any]
) -> HttpResponse:
    payload = BotSubmitInputSerializer(data=values)
    if not payload.is_valid():
        errors = errors_from_serializer(payload.errors)
        return render(
            request, template, {**context, "values": values, "errors": errors}, status=400
        )
    try:
        result = bot_submit(owner=_user(request), **payload.validated_data)
    except DomainError as error:
        errors = errors_from_domain(error, field_for_code=SUBMIT_FIELDS)
        return render(
            request, template, {**context, "values": values, "errors": errors}, status=400
        )
    messages.success(request, result.message)
    return redirect("page-bot-detail", bot_id=result.bot.pk)


def bot_detail(request: HttpRequest, bot_id: int) -> HttpResponse:
    """Anyone's view of a bot; its owner also sees code, diffs, roll back and timing."""
    try:
        bot = bot_get_public(bot_id=bot_id)
    except BotNotFoundError:
        raise Http404("No such bot.") from None
    is_owner = request.user.is_authenticated and bot.owner_id == request.user.pk
    versions = list(bot_version_list(bot=bot))
    version = _version_filter(request, versions)
    battles = battle_list(bot_id=bot.pk, version_number=version, limit=RECENT_BATTLES)
    context: dict[str, Any] = {
        "bot": bot,
        "is_owner": is_owner,
        "versions": versions,
        "battles": battles.battles,
        "version_filter": version,
    }
    if is_owner:
        context.update(_owner_context(bot, versions))
    return render(request, "bots/detail.html", context)


def _version_filter(request: HttpRequest, versions: list[Any]) -> int | None:
    """?version=N shows only that version's battles; anything else shows them all."""
    wanted = request.GET.get("version", "")
    numbers = {version.version_number for version in versions}
    return int(wanted) if wanted.isdigit() and int(wanted) in numbers else None


def _owner_context(bot: Bot, versions: list[Any]) -> dict[str, Any]:
    turn_limit = arena_settings()["TURN_TIMEOUT_MS"]
    return {
        "codes": bot_version_codes(bot=bot),
        "profile": timing_profile_get(bot_id=bot.pk, turn_limit_ms=turn_limit),
        "house_bots": sorted(HOUSE_BOTS),
        "opponents": [
            other
            for other in bot_list_public(limit=OPPONENTS_LISTED).bots
            if other.is_active and other.pk != bot.pk
        ],
        "newest": versions[0].version_number if versions else None,
        "previous": versions[1].version_number if len(versions) > 1 else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def bot_edit(request: HttpRequest, bot_id: int) -> HttpResponse:
    """A new version of the code (the same upload as the API's) on this page."""
    bot = _owned(request, bot_id)
    context = {"bot": bot}
    if request.method == "GET":
        return render(request, "bots/edit.html", {**context, "values": {"code": bot.code}})
    values = {"name": bot.name, "code": request.POST.get("code", ""),
              "description": request.POST.get("description", "")}  # fmt: skip
    return _submit(request, values, template="bots/edit.html", context=context)


@login_required
@require_POST
def bot_settings(request: HttpRequest, bot_id: int) -> HttpResponse:
    """The bot's own description and whether it plays (PATCH /api/bots/<id> on a page)."""
    bot = _owned(request, bot_id)
    payload = BotUpdateInputSerializer(
        data={
            "description": request.POST.get("bot_description", ""),
            "is_active": request.POST.get("is_active") == "on",
        }
    )
    if not payload.is_valid():
        errors = errors_from_serializer(payload.errors)
        context = {"bot": bot, "values": {"code": bot.code}, "settings_errors": errors}
        return render(request, "bots/edit.html", context, status=400)
    bot_update(bot=bot, **payload.validated_data)
    messages.success(request, "Saved.")
    return redirect("page-bot-detail", bot_id=bot.pk)


@login_required
@require_POST
def bot_rollback_page(request: HttpRequest, bot_id: int, version_number: int) -> HttpResponse:
    bot = _owned(request, bot_id)
    try:
        result = bot_rollback(bot=bot, version_number=version_number)
    except DomainError as error:
        raise Http404(error.message) from None
    messages.success(request, result.message)
    return redirect("page-bot-detail", bot_id=bot.pk)


@login_required
def bot_diff_page(request: HttpRequest, bot_id: int) -> HttpResponse:
    """Two versions side by side: ?old=<n>&new=<n> (defaults: the two newest)."""
    bot = _owned(request, bot_id)
    versions = list(bot_version_list(bot=bot))
    try:
        new = int(request.GET.get("new") or versions[0].version_number)
        old = int(request.GET.get("old") or versions[min(1, len(versions) - 1)].version_number)
        diff = bot_version_diff(bot=bot, old_number=old, new_number=new)
    except (ValueError, IndexError, DomainError):
        raise Http404("No such versions.") from None
    context = {"bot": bot, "versions": versions, "old": old, "new": new, "diff": diff,
               "rows": side_by_side(diff)}  # fmt: skip
    return render(request, "bots/diff.html", context)


@login_required
@require_POST
def bot_battle_page(request: HttpRequest, bot_id: int) -> HttpResponse:
    """Ask for a battle of this bot against a house bot or another active bot."""
    bot = _owned(request, bot_id)
    opponent: Any = request.POST.get("opponent", "")
    if opponent.isdigit():
        opponent = int(opponent)
    payload = BattleRequestInputSerializer(data={"bots": [bot.pk, opponent]})
    errors = PageErrors()
    if payload.is_valid():
        try:
            battle = battle_request(user=_user(request), **payload.validated_data)
        except DomainError as error:
            errors.add("opponent", error.message, error.code)
        else:
            return redirect("page-battle-detail", public_id=battle.public_id)
    else:
        errors = errors_from_serializer({"opponent": payload.errors.get("bots", [])})
    for problem in errors.fields.get("opponent", []) + errors.general:
        messages.error(request, f"{problem.message} ({problem.code})")
    return HttpResponseRedirect(f"/bots/{bot.pk}#battle")
