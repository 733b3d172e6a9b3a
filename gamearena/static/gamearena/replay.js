// The replay viewer: play, pause, step, scrub, speed, keyboard shortcuts, a link per turn.
import { Board, pageData, setText } from "./board.js";

const data = pageData("viewer-data");
const replay = data.replay;
const board = new Board(document.getElementById("board"), data.maze);
const states = [replay.initial_state, ...replay.turns.map((turn) => turn.state)];
const scrub = document.getElementById("scrub");
const playButton = document.getElementById("play");
const speedSelect = document.getElementById("speed");
let frame = 0;
let timer = null;

scrub.max = String(states.length - 1);

function seatLine(seat, entry) {
  if (!entry) return `${data.seats[seat]}: not asked`;
  const cpu = entry.cpu_ms === null || entry.cpu_ms === undefined ? "" : `, ${entry.cpu_ms} ms CPU`;
  const fault = entry.fault ? ` — ${entry.fault.kind}: ${entry.fault.reason}` : "";
  return `${data.seats[seat]}: ${entry.output ?? "(no output)"}  [${entry.time_ms} ms wall${cpu}, ${entry.status}]${fault}`;
}

function show(index) {
  frame = Math.max(0, Math.min(states.length - 1, index));
  const state = states[frame];
  board.draw(state);
  scrub.value = String(frame);
  setText("turn", `Turn ${state.turn} / ${states.length - 1}`);
  setText("score0", String(state.scores[0]));
  setText("score1", String(state.scores[1]));
  const turn = frame > 0 ? replay.turns[frame - 1] : null;
  [0, 1].forEach((seat) => {
    setText(`command${seat}`, turn ? seatLine(seat, turn.players[seat]) : "—");
    const stderr = document.getElementById(`stderr${seat}`);
    if (stderr) stderr.textContent = turn && turn.players[seat] ? turn.players[seat].stderr_owner_only : "";
  });
  history.replaceState(null, "", `#turn=${state.turn}`);
}

function pause() {
  clearInterval(timer);
  timer = null;
  playButton.textContent = "Play";
}

function play() {
  if (frame >= states.length - 1) show(0);
  clearInterval(timer);
  timer = setInterval(() => {
    if (frame >= states.length - 1) pause();
    else show(frame + 1);
  }, 400 / Number(speedSelect.value));
  playButton.textContent = "Pause";
}

const toggle = () => (timer ? pause() : play());
playButton.addEventListener("click", toggle);
document.getElementById("prev").addEventListener("click", () => { pause(); show(frame - 1); });
document.getElementById("next").addEventListener("click", () => { pause(); show(frame + 1); });
scrub.addEventListener("input", () => { pause(); show(Number(scrub.value)); });
speedSelect.addEventListener("change", () => { if (timer) play(); });
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea")) return;
  const keys = {
    " ": toggle, k: toggle,
    ArrowRight: () => { pause(); show(frame + 1); }, l: () => { pause(); show(frame + 1); },
    ArrowLeft: () => { pause(); show(frame - 1); }, j: () => { pause(); show(frame - 1); },
    Home: () => { pause(); show(0); }, End: () => { pause(); show(states.length - 1); },
  };
  const action = keys[event.key];
  if (action) { event.preventDefault(); action(); }
});

function turnFromHash() {
  const match = /turn=(\d+)/.exec(location.hash);
  if (!match) return 0;
  const wanted = Number(match[1]);
  const found = states.findIndex((state) => state.turn === wanted);
  return found < 0 ? 0 : found;
}
window.addEventListener("hashchange", () => show(turnFromHash()));
document.getElementById("viewer").hidden = false;
show(turnFromHash());
