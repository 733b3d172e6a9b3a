"""Cache keys of the stats app, versioned (STYLE #10): one place to change a key's shape."""

from __future__ import annotations

# Set while a refresh of the rank intervals is queued: later battles do not queue another.
RANK_REFRESH_PENDING = "stats:v1:rank-refresh-pending"
# Held (in the shared "throttle" cache) while one ladder tick schedules: ticks never overlap.
LADDER_TICK_LOCK = "stats:v1:ladder-tick-lock"
