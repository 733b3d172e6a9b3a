"""Version numbers under contention, with real threads and real connections.

Only PostgreSQL has the row locks this is about (SQLite serialises whole-database
writes instead), so these run in the PostgreSQL pass of the test command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from bots.models import Bot, BotVersion
from bots.services import SubmitResult, _bot_locked, bot_submit
from tests.bots.support import CODE_V1

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 50
T = TypeVar("T")


def run_together[T](count: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(i)` in `count` threads released at the same instant; each closes its connection."""
    barrier = threading.Barrier(count)

    def worker(index: int) -> T:
        try:
            barrier.wait()
            return work(index)
        finally:
            connection.close()  # a thread's connection is its own; leave none behind

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def test_fifty_concurrent_updates_number_versions_1_to_51_without_gaps(owner: User) -> None:
    bot = bot_submit(owner=owner, name="pacman", code=CODE_V1).bot

    results = run_together(
        WRITERS, lambda i: bot_submit(owner=owner, name="pacman", code=f"print({i})\n")
    )

    numbers = sorted(BotVersion.objects.filter(bot=bot).values_list("version_number", flat=True))
    assert numbers == list(range(1, WRITERS + 2))
    assert sorted(r.version.version_number for r in results) == list(range(2, WRITERS + 2))
    bot.refresh_from_db()
    newest = bot.versions.get(version_number=WRITERS + 1)
    assert (bot.version_number, bot.code) == (WRITERS + 1, newest.code)


def test_concurrent_first_uploads_of_one_name_create_one_bot(owner: User) -> None:
    results: list[SubmitResult] = run_together(
        10, lambda i: bot_submit(owner=owner, name="racer", code=f"print({i})\n")
    )

    assert Bot.objects.filter(owner=owner, name="racer").count() == 1
    assert sum(r.created for r in results) == 1
    numbers = sorted(BotVersion.objects.values_list("version_number", flat=True))
    assert numbers == list(range(1, 11))


def test_a_submission_locks_the_bots_row_but_not_its_owners(owner: User) -> None:
    bot = bot_submit(owner=owner, name="pacman", code=CODE_V1).bot

    def probe(_: int) -> tuple[bool, bool]:
        with transaction.atomic():
            users = get_user_model().objects.select_for_update(nowait=True).filter(pk=owner.pk)
            user_free = _lock_free(lambda: list(users))
        with transaction.atomic():
            bots = Bot.objects.select_for_update(nowait=True).filter(pk=bot.pk)
            bot_free = _lock_free(lambda: list(bots))
        return user_free, bot_free

    with transaction.atomic():
        _bot_locked(owner=owner, name="pacman")  # what bot_submit holds while it writes
        [(user_free, bot_free)] = run_together(1, probe)

    # Logins (last_login) and the owner's other bots must not queue behind an upload.
    assert (user_free, bot_free) == (True, False)


def _lock_free(query: Callable[[], object]) -> bool:
    try:
        with transaction.atomic():
            query()
    except DatabaseError:
        return False
    return True
