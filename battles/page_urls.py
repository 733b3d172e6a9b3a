"""Battle pages, at /battles/ and /play (gamearena/urls.py)."""

from __future__ import annotations

from django.urls import path

from battles.views import battle_detail, battle_watch, play_page

urlpatterns = [
    path("battles/<uuid:public_id>", battle_detail, name="page-battle-detail"),
    path("battles/<uuid:public_id>/watch", battle_watch, name="page-battle-watch"),
    path("play", play_page, name="play-new"),
    path("play/<uuid:public_id>", play_page, name="play-battle"),
]
