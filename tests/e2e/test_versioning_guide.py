"""The README's bot-versioning guide works verbatim against a running server.

The guide's Python blocks are taken from README.md as they are written and run, in
order, in a separate interpreter against a live server: if the documentation and the
API drift apart, this fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from bots.models import Bot

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def guide_blocks() -> list[str]:
    text = README.read_text()
    guide = text.split("## Bot versioning guide", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)


@pytest.mark.django_db(transaction=True)
def test_the_versioning_guide_runs_verbatim_against_a_live_server(live_server: Any) -> None:
    user = get_user_model().objects.create_user("guide-reader", password="a long passphrase")
    token = Token.objects.create(user=user)
    blocks = guide_blocks()
    assert len(blocks) == 4, "the guide's structure changed: update this test with it"
    env = {**os.environ, "GAMEARENA_URL": live_server.url, "GAMEARENA_TOKEN": token.key}
    result = subprocess.run(
        [sys.executable, "-c", "\n".join(blocks)],
        env=env,
        cwd=ROOT,  # the guide reads docs/examples/starter_bot.py from the repository's folder
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2"
    assert re.fullmatch(r"v2: Chase the nearest super pellet \(\d{4}-\d\d-\d\dT[^)]+\)", lines[1])
    assert re.fullmatch(r"v1: +\(\d{4}-\d\d-\d\dT[^)]+\)", lines[2])
    assert lines[3] == "Rolled back to version 1 as version 3"
    bot = Bot.objects.get(owner=user, name="my-bot")
    starter = (ROOT / "docs" / "examples" / "starter_bot.py").read_text()
    # Version 3 is version 1's code again: the starter bot, uploaded as it is.
    assert bot.versions.get(version_number=1).code == starter
    assert bot.code == starter
