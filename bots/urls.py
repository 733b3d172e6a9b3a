"""Routes of the bots API, relative to /api/ (see gamearena/urls.py). No trailing slashes.

One viewset on a router. Path syntax (not regexes), so the lookup and the actions' numbers
use the bounded converters of gamearena/converters.py: a number too big for the database
is a 404, never a crash. The route names stay those of the former views: bot-list,
bot-public-list, bot-detail, bot-version-list, bot-version-detail, bot-rollback and
bot-version-diff.
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

import gamearena.converters  # noqa: F401  (registers <db_id:...> and <db_int:...>)
from bots.apis import BotViewSet

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("bots", BotViewSet, basename="bot")

urlpatterns = router.urls
