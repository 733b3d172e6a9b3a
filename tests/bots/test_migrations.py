"""The migrations bring a database from before version history forward."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _leave_the_schema_complete() -> Iterator[None]:
    # Whatever a test does to the schema, the tests after it need every migration applied.
    yield
    migrate(latest_targets())


BEFORE_VERSIONS = ("bots", "0001_initial")


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest_targets() -> list[tuple[str, str]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_bot_from_before_versions_gets_version_1_with_its_code() -> None:
    executor = migrate([BEFORE_VERSIONS])
    old = executor.loader.project_state([BEFORE_VERSIONS]).apps
    user = old.get_model("auth", "User").objects.create(username="veteran")
    old_bot_model = old.get_model("bots", "Bot")
    alpha = old_bot_model.objects.create(owner=user, name="alpha", code="print('alpha')\n")
    beta = old_bot_model.objects.create(owner=user, name="beta", code="print('beta')\n")

    executor = migrate(latest_targets())

    new = executor.loader.project_state(latest_targets()).apps
    versions = new.get_model("bots", "BotVersion").objects.order_by("bot_id")
    assert [(v.bot_id, v.version_number, v.code) for v in versions] == [
        (alpha.pk, 1, "print('alpha')\n"),
        (beta.pk, 1, "print('beta')\n"),
    ]
    bots = new.get_model("bots", "Bot").objects.order_by("pk")
    assert [b.version_number for b in bots] == [1, 1]


def test_migrating_an_empty_database_forward_and_back_works() -> None:
    migrate([("bots", None)])  # type: ignore[list-item]  # None means "before 0001"
    migrate(latest_targets())

    assert "bots_botversion" in connection.introspection.table_names()


BEFORE_QUALIFICATION = ("bots", "0004_bot_description_and_name_rule")


def test_versions_from_before_qualification_count_as_qualified() -> None:
    executor = migrate([BEFORE_QUALIFICATION])
    old = executor.loader.project_state([BEFORE_QUALIFICATION]).apps
    user = old.get_model("auth", "User").objects.create(username="veteran")
    bot = old.get_model("bots", "Bot").objects.create(owner=user, name="alpha", code="print(1)\n")
    old.get_model("bots", "BotVersion").objects.create(bot=bot, version_number=1, code="print(1)\n")

    executor = migrate(latest_targets())

    new = executor.loader.project_state(latest_targets()).apps
    version = new.get_model("bots", "BotVersion").objects.get(bot_id=bot.pk)
    assert version.qualification_status == "qualified"
