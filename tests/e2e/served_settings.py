"""The product's settings as a served process uses them, with the rate limits raised.

Tests that start a real server and send it bursts of writes from one user are about
concurrency, not throttling: only the throttle rates differ from gamearena.settings.
"""

from __future__ import annotations

from typing import cast

from gamearena.settings import *  # noqa: F403
from gamearena.settings import REST_FRAMEWORK

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        cast("dict[str, str]", REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), "100000/minute"
    ),
}
