"""Bot pages, at /bots/ (gamearena/urls.py)."""

from __future__ import annotations

from django.urls import path

import gamearena.converters  # noqa: F401  (registers <db_id:...> and <db_int:...>)
from bots.views import (
    bot_battle_page,
    bot_detail,
    bot_diff_page,
    bot_edit,
    bot_mine,
    bot_new,
    bot_rollback_page,
    bot_settings,
)

urlpatterns = [
    path("", bot_mine, name="page-bot-mine"),
    path("new", bot_new, name="page-bot-new"),
    path("<db_id:bot_id>", bot_detail, name="page-bot-detail"),
    path("<db_id:bot_id>/edit", bot_edit, name="page-bot-edit"),
    path("<db_id:bot_id>/settings", bot_settings, name="page-bot-settings"),
    path("<db_id:bot_id>/diff", bot_diff_page, name="page-bot-diff"),
    path("<db_id:bot_id>/battle", bot_battle_page, name="page-bot-battle"),
    path(
        "<db_id:bot_id>/rollback/<db_int:version_number>",
        bot_rollback_page,
        name="page-bot-rollback",
    ),
]
