"""Cache keys of the stats app, versioned (STYLE #10): one place to change a key's shape."""

from __future__ import annotations

# Set while a refresh of the rank intervals is queued: later battles do not queue another.
RANK_REFRESH_PENDING = "stats:v1:rank-refresh-pending"
