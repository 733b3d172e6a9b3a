"""The pages as a new user meets them, in a real browser against the run command's server.

One browser and one server for the module. Every page visited is checked for console errors
and photographed to var/screenshots/ (CI keeps var/). Playing against a house bot is a test of
its own: it needs the live-battle API, and says so when the server does not have it yet.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.browser import chromium_or_missing, console_errors, screenshot
from tests.e2e.live_server import LiveServer, live_server

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

BROWSER_SETTINGS = "tests.e2e.browser_settings"
PASSWORD = "a long enough passphrase"
WAIT_SECONDS = 30
# Plays five turns standing still, then stops answering: a short game with a few turns to step.
FIVE_TURNS_BOT = """import sys
width, height = map(int, input().split())
for _ in range(height):
    input()
for turn in range(5):
    input()
    mine = []
    for _ in range(int(input())):
        pac, is_mine, x, y, *rest = input().split()
        if is_mine == "1":
            mine.append(f"MOVE {pac} {x} {y}")
    for _ in range(int(input())):
        input()
    print(" | ".join(mine), flush=True)
print("five turns are enough", file=sys.stderr)
"""


# A small ladder, recorded without playing (tests/stats/ladder.py): rivals/runner v1 then v2,
# rivals/wall and rivals/sprinter, so the leaderboard and a bot page show ratings, rank
# intervals, a chart across versions and head-to-head records. New versions are active at once.
LADDER_SEED = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from bots.services import bot_submit
from stats.services import leaderboard_refresh_ranks, rating_sync_bot
from tests.battles.conftest import STILL
from tests.stats.ladder import record_finished

rivals = get_user_model().objects.create_user("rivals", password="rivals-long-passphrase")
with override_settings(GAMEARENA={**settings.GAMEARENA, "QUALIFICATION": False}):
    runner = bot_submit(owner=rivals, name="runner", code=STILL, description="first try").bot
    wall = bot_submit(owner=rivals, name="wall", code=STILL + "# wall", description="").bot
    sprinter = bot_submit(owner=rivals, name="sprinter", code=STILL + "# s", description="").bot
    for bot in (runner, wall, sprinter):
        rating_sync_bot(bot=bot)
    for winner in (1, 0, 1):
        record_finished(runner, wall, winner=winner)
    record_finished(runner, sprinter, winner=1)
    runner = bot_submit(owner=rivals, name="runner", code=STILL + "# v2", description="v2").bot
    for _ in range(3):
        record_finished(runner, wall, winner=0)
        record_finished(sprinter, runner, winner=1)
    record_finished(wall, sprinter, winner=0)
leaderboard_refresh_ranks()
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("browser-server")
    # On the suite's PostgreSQL and Redis in its second pass (a database of the server's own),
    # on a SQLite file in the first: the pages are seen on both backends.
    with live_server(
        directory,
        ["player"],
        settings_module=BROWSER_SETTINGS,
        on_the_suites_servers=True,
        seed=LADDER_SEED,
    ) as running:
        yield running


@pytest.fixture(scope="module")
def driver() -> Iterator[Chrome]:
    browser = chromium_or_missing()
    try:
        yield browser
    finally:
        browser.quit()


def wait_until(driver: Chrome, condition: Callable[[Any], Any]) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def by_css(driver: Chrome, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, selector))


def page_checked(driver: Chrome, name: str) -> None:
    """The page has loaded with no console error; its screenshot is taken."""
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    screenshot(driver, name)
    assert console_errors(driver) == [], f"console errors on the {name} page"


def fill(driver: Chrome, selector: str, text: str) -> None:
    field = by_css(driver, selector)
    field.clear()
    field.send_keys(text)


def test_sign_up_submit_a_bot_request_a_battle_step_through_its_replay_and_log_out(
    server: LiveServer, driver: Chrome
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base = f"http://{server.host}:{server.port}"
    driver.get(base + "/")
    page_checked(driver, "01-home")
    # The seeded ladder is listed, with its rank intervals ("1 to 3" written with a dash).
    assert re.fullmatch(r"\d+\N{EN DASH}\d+", by_css(driver, "table.leaderboard td.num.muted").text)
    by_css(driver, "header a[href='/accounts/signup']").click()
    fill(driver, "#id_username", "newcomer")
    fill(driver, "#id_password", PASSWORD)
    fill(driver, "#id_password_again", PASSWORD)
    page_checked(driver, "02-sign-up")
    by_css(driver, "form button[type=submit]").submit()
    wait_until(driver, lambda d: d.current_url == base + "/bots/")
    page_checked(driver, "03-my-bots")

    by_css(driver, "header a[href='/bots/new']").click()
    fill(driver, "#id_name", "five-turns")
    fill(driver, "#id_code", FIVE_TURNS_BOT)
    fill(driver, "#id_description", "stands still for five turns")
    page_checked(driver, "04-submit")
    by_css(driver, "#id_name").submit()
    assert "Created bot five-turns with version 1." in by_css(driver, ".notice").text
    page_checked(driver, "05-bot")

    by_css(driver, "#id_opponent option[value='house:greedy']").click()
    by_css(driver, "#battle + form button[type=submit]").click()
    wait_until(driver, lambda d: "/battles/" in d.current_url)
    by_css(driver, "#viewer:not([hidden])")
    assert by_css(driver, "#turn").text.startswith("Turn 0 / ")
    by_css(driver, "#next").click()
    by_css(driver, "#next").click()
    assert by_css(driver, "#turn").text.startswith("Turn 2 / ")
    assert "MOVE 0" in by_css(driver, "#command0").text
    by_css(driver, "body").send_keys(Keys.ARROW_RIGHT)  # one more turn
    assert by_css(driver, "#turn").text.startswith("Turn 3 / ")
    assert driver.current_url.endswith("#turn=3")
    page_checked(driver, "06-replay")
    battle_url = driver.current_url.split("#", 1)[0]
    driver.get(base + "/")  # a link to a turn, opened afresh
    driver.get(battle_url + "#turn=1")
    wait_until(driver, lambda d: by_css(d, "#turn").text.startswith("Turn 1 / "))
    by_css(driver, "body").send_keys(Keys.END)  # the last turn, where the bot stopped answering
    wait_until(driver, lambda d: by_css(d, "#turn").text == "Turn 6 / 6")
    by_css(driver, "body").send_keys(Keys.ARROW_LEFT)  # its last answer, and its stderr
    wait_until(driver, lambda d: by_css(d, "#stderr0").text == "five turns are enough")

    driver.get(base + "/")  # someone else's rated bot, from the leaderboard
    wait_until(driver, lambda d: d.find_element(By.LINK_TEXT, "runner")).click()
    by_css(driver, "#rating-chart polyline.line")
    assert by_css(driver, "#head-to-head tbody tr")
    page_checked(driver, "07-rated-bot")

    by_css(driver, "header button.link").click()  # Log out
    wait_until(driver, lambda d: d.current_url == base + "/")
    assert by_css(driver, "header a[href='/accounts/login']").text == "Log in"
    page_checked(driver, "08-logged-out")


def test_the_served_pages_run_on_the_suites_database_and_cache(server: LiveServer) -> None:
    # PostgreSQL and Redis in the suite's second pass (DATABASE_URL, REDIS_URL), on a database
    # of the server's own; the embedded default in the first.
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres:", "postgresql:"))
    status, health = server.request("GET", "/health")

    assert status == 200
    assert health["database"]["engine"] == ("postgresql" if on_postgres else "sqlite")
    if on_postgres and os.environ.get("REDIS_URL"):
        assert health["cache"]["backend"] == "redis"


def test_start_a_battle_against_the_greedy_house_bot_and_play_three_turns(
    server: LiveServer, driver: Chrome
) -> None:
    play_three_turns_against_greedy(
        driver, f"http://{server.host}:{server.port}", "player", "player-long-passphrase"
    )


def play_three_turns_against_greedy(
    driver: Chrome, base: str, username: str, password: str
) -> None:
    """Log in, start a live battle against house:greedy, play three turns by clicking, log out."""
    driver.get(base + "/accounts/login")
    fill(driver, "#id_username", username)
    fill(driver, "#id_password", password)
    by_css(driver, "#id_password").submit()
    wait_until(driver, lambda d: d.current_url == base + "/bots/")
    driver.get(base + "/play")
    page_checked(driver, "09-play")
    by_css(driver, "#id_opponent option[value='house:greedy']").click()
    by_css(driver, "#start button[type=submit]").click()
    canvas = by_css(driver, "#game:not([hidden]) #board")
    wait_until(driver, lambda d: by_css(d, "#turn").text.startswith("Turn "))
    assert "s left for this turn" in by_css(driver, "#deadline").text
    for _ in range(3):
        before = by_css(driver, "#turn").text
        click_a_floor_cell(driver, canvas)
        assert "MOVE" in by_css(driver, "#command").text
        by_css(driver, "#send").click()
        wait_until(driver, turn_text_is_not(before))
        assert by_css(driver, "#play-error").get_attribute("hidden") is not None
    page_checked(driver, "10-playing")
    by_css(driver, "header button.link").click()
    wait_until(driver, lambda d: d.current_url == base + "/")


def turn_text_is_not(shown: str) -> Callable[[Any], bool]:
    return lambda d: bool(by_css(d, "#turn").text != shown)


def click_a_floor_cell(driver: Chrome, canvas: Any) -> None:
    """Clicks the cell the first pac stands on (floor, surely), as its table row names it."""
    from selenium.webdriver.common.action_chains import ActionChains

    label = by_css(driver, "#pacs label").text  # "Pac 0 (ROCK) at 3,5"
    column, row = (int(part) for part in label.rsplit(" ", 1)[1].split(","))
    columns = int(canvas.get_attribute("data-columns"))
    rows = int(canvas.get_attribute("data-rows"))
    width, height = canvas.size["width"], canvas.size["height"]
    offset_x = (column + 0.5) * width / columns - width / 2
    offset_y = (row + 0.5) * height / rows - height / 2
    ActionChains(driver).move_to_element_with_offset(canvas, offset_x, offset_y).click().perform()
