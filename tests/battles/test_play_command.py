"""manage.py play: one game between two bots, shown to a person or printed as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from battles.housebots import HOUSE_BOTS
from battles.replay import replay_check
from bots.services import bot_submit

ROOT = Path(__file__).resolve().parents[2]
CRASHING_BOT = "import sys\nsys.stdin.readline()\nraise SystemExit(3)\n"


@pytest.fixture
def bwrap_sandbox(settings: Any) -> None:
    settings.GAMEARENA = {**settings.GAMEARENA, "SANDBOX_MODE": "bwrap"}


def play(*args: str) -> dict[str, Any]:
    out, err = StringIO(), StringIO()
    call_command("play", *args, "--json", stdout=out, stderr=err)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def assert_played_cleanly(result: dict[str, Any]) -> None:
    assert result["turns"] >= 1
    assert all(player["status"] == "ok" for player in result["players"]), result["players"]
    scores = result["scores"]
    expected_winner = None if scores[0] == scores[1] else int(scores[1] > scores[0])
    assert result["winner"] == expected_winner


def test_play_between_house_bots_prints_one_json_object(unsafe_sandbox: None) -> None:
    result = play("house:greedy", "house:random_mover", "--seed", "7")
    assert result["seed"] == 7
    assert_played_cleanly(result)
    assert [player["bot"] for player in result["players"]] == ["house:greedy", "house:random_mover"]
    assert result["sandbox"].startswith("none")
    assert result["sandbox_mode"] == "none"


def test_the_same_seed_and_bots_give_the_same_game(unsafe_sandbox: None) -> None:
    first = play("house:greedy", "house:greedy", "--seed", "-42")
    second = play("house:greedy", "house:greedy", "--seed", "-42")
    assert (first["scores"], first["turns"]) == (second["scores"], second["turns"])


def test_play_writes_a_replay_that_re_simulates_to_the_same_outcome(
    unsafe_sandbox: None, tmp_path: Path
) -> None:
    replay_file = tmp_path / "game.json"
    result = play("house:hunter", "house:greedy", "--seed", "3", "--replay", str(replay_file))
    replay = json.loads(replay_file.read_text())
    assert replay["seed"] == 3
    assert len(replay["turns"]) == result["turns"]
    assert replay_check(replay)


def test_play_reports_a_crashing_bot_as_a_result_not_an_error(
    unsafe_sandbox: None, tmp_path: Path
) -> None:
    crasher = tmp_path / "crasher.py"
    crasher.write_text(CRASHING_BOT)
    result = play(str(crasher), "house:greedy", "--seed", "5")
    assert result["players"][0]["status"] == "crashed"
    assert result["players"][0]["turn"] == 1
    assert result["players"][1]["status"] == "ok"


@pytest.mark.django_db
def test_play_takes_a_stored_bot_at_a_chosen_version(unsafe_sandbox: None) -> None:
    owner = get_user_model().objects.create_user("alice", password="a long passphrase")
    bot_submit(owner=owner, name="pacman", code=HOUSE_BOTS["greedy"].read_text())
    bot_submit(owner=owner, name="pacman", code=CRASHING_BOT)
    old = play("alice/pacman@1", "house:random_mover", "--seed", "11")
    latest = play("alice/pacman", "house:random_mover", "--seed", "11")
    assert old["players"][0]["bot"] == "alice/pacman@1"
    assert old["players"][0]["status"] == "ok"
    assert latest["players"][0]["bot"] == "alice/pacman@2"
    assert latest["players"][0]["status"] == "crashed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("house:nobody", "no house bot 'nobody'"),
        ("alice/ghost", "no stored bot alice/ghost"),
        ("not a bot", "is neither a file, a directory, house:<name> nor <owner>/<name>"),
    ],
)
def test_play_refuses_an_unknown_bot_with_a_clear_message(
    unsafe_sandbox: None, spec: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("play", spec, "house:greedy", "--json", stdout=StringIO(), stderr=StringIO())


def test_play_refuses_the_unsafe_sandbox_without_debug_or_the_flag(settings: Any) -> None:
    settings.DEBUG = False
    settings.GAMEARENA = {
        **settings.GAMEARENA,
        "SANDBOX_MODE": "none",
        "ALLOW_UNSAFE_SANDBOX": False,
    }
    with pytest.raises(CommandError, match="GAMEARENA_SANDBOX=none is refused"):
        call_command("play", "house:greedy", "house:greedy", stdout=StringIO(), stderr=StringIO())


def test_play_without_json_ends_with_a_readable_summary(unsafe_sandbox: None) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "play", "house:greedy", "house:random_mover", "--seed", "9", stdout=out, stderr=err
    )
    summary = out.getvalue()
    assert "house:greedy vs house:random_mover  seed 9" in summary
    assert "seat 0 house:greedy:" in summary
    assert "sandbox: none" in summary
    assert "UNSAFE SANDBOX" in err.getvalue()


@pytest.mark.bwrap
def test_play_in_the_bwrap_sandbox_between_house_bots(bwrap_sandbox: None) -> None:
    result = play("house:hunter", "house:greedy", "--seed", "1")
    assert_played_cleanly(result)
    assert result["sandbox_mode"] == "bwrap"
    assert result["sandbox"].startswith("bwrap")


def run_manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "GAMEARENA_SANDBOX": "none",
        "GAMEARENA_ALLOW_UNSAFE_SANDBOX": "1",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_exits_0_after_a_game_and_non_zero_on_bad_arguments() -> None:
    played = run_manage("play", "house:greedy", "house:random_mover", "--seed", "2", "--json")
    assert played.returncode == 0, played.stderr
    assert json.loads(played.stdout)["seed"] == 2
    bad_seed = run_manage("play", "house:greedy", "house:greedy", "--seed", "lots")
    assert bad_seed.returncode != 0
    assert "--seed" in bad_seed.stderr


# Lists what it can see beside itself in its stderr, then plays a normal first move.
SNOOPER = (
    "import os, sys\n"
    "print('SIBLINGS', sorted(os.listdir(os.path.dirname(os.path.abspath(__file__)))), "
    "file=sys.stderr, flush=True)\n" + "raise SystemExit(0)\n"
)


def test_a_file_given_is_staged_alone(unsafe_sandbox: None, tmp_path: Path) -> None:
    (tmp_path / "snoop.py").write_text(SNOOPER)
    (tmp_path / "secret.sqlite3").write_text("the opponent's database")
    (tmp_path / "opponent.py").write_text("print('MOVE 0 1 1')\n")
    replay_file = tmp_path / "replay.json"

    play(str(tmp_path / "snoop.py"), "house:greedy", "--seed", "3", "--replay", str(replay_file))

    stderr = json.loads(replay_file.read_text())["turns"][0]["players"][0]["stderr_owner_only"]
    assert "SIBLINGS ['snoop.py']" in stderr


def test_a_directory_given_is_staged_whole_with_main_py(
    unsafe_sandbox: None, tmp_path: Path
) -> None:
    bot_dir = tmp_path / "multi"
    bot_dir.mkdir()
    (bot_dir / "main.py").write_text(SNOOPER)
    (bot_dir / "helper.py").write_text("X = 1\n")
    replay_file = tmp_path / "replay.json"

    play(str(bot_dir), "house:greedy", "--seed", "3", "--replay", str(replay_file))

    stderr = json.loads(replay_file.read_text())["turns"][0]["players"][0]["stderr_owner_only"]
    assert "SIBLINGS ['helper.py', 'main.py']" in stderr


def test_save_stores_the_battle_of_a_stored_bot_and_a_house_bot(
    unsafe_sandbox: None, db: None
) -> None:
    from battles.models import Battle
    from stats.models import AgentStats

    user = get_user_model().objects.create_user("alice", password="alice-pass-1234")
    bot_submit(owner=user, name="crash", code=CRASHING_BOT)

    result = play("alice/crash", "house:greedy", "--seed", "5", "--save")

    battle = Battle.objects.get(public_id=result["battle"])
    assert battle.reason == Battle.Reason.COMMAND
    assert battle.status == Battle.Status.FINISHED
    assert battle.seed == 5
    assert [seat.display_name for seat in battle.seats.order_by("seat")] == [
        "alice/crash v1",
        "house:greedy",
    ]
    assert result["players"][0]["status"] == "crashed"
    assert AgentStats.objects.get(agent_name="alice/crash").losses == 1


def test_save_refuses_a_bot_given_as_a_file(unsafe_sandbox: None, db: None, tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text(CRASHING_BOT)

    with pytest.raises(CommandError, match="--save needs stored bots or house bots"):
        play(str(tmp_path / "mine.py"), "house:greedy", "--save")


def test_replay_check_proves_a_stored_battle_and_catches_a_tampered_one(
    unsafe_sandbox: None, db: None
) -> None:
    from battles.models import Battle, BattleReplay

    result = play("house:greedy", "house:random_mover", "--seed", "6", "--save")
    out = StringIO()
    call_command("replay_check", result["battle"], stdout=out)
    assert f"{result['battle']}: ok" in out.getvalue()

    stored = BattleReplay.objects.get(battle__public_id=result["battle"])
    replay = stored.unpack()
    replay["turns"][-1]["state"]["scores"] = [999, 0]
    stored.data, stored.raw_bytes = BattleReplay.pack(replay)
    stored.save()
    with pytest.raises(CommandError, match="1 of 1 replays do not match"):
        call_command("replay_check", "--latest", "5", stdout=StringIO())
    assert Battle.objects.get(public_id=result["battle"]).status == Battle.Status.FINISHED
