"""The development secret key: generated once, kept in var/, never regenerated per process.

Regenerating it per process would log everybody out at every restart and break
sessions between the web process and a worker; so it is written once with 0600
permissions and read back afterwards.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def development_secret_key(var_dir: Path) -> str:
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: when two processes start at once, exactly one writes and both read its key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
