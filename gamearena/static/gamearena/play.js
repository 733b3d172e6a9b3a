// Playing a bot in the browser through the live-battle API: POST /api/battles/live starts a
// battle, GET .../state gives this seat's exact input text and the deadline, POST .../turn
// sends the turn's command. The board is drawn from the input text, so the player sees what a
// bot in that seat would see (its own pacs, the visible ones, the visible pellets).
import { Board, pageData, setText } from "./board.js";

const config = pageData("play-config");
const csrf = document.querySelector("meta[name=csrf-token]").content;
const TYPES = ["ROCK", "PAPER", "SCISSORS"];
let board = null;
let battle = config.battle;
let current = null; // {turn, pacs, pellets, text, deadline}
let orders = {}; // pac id -> {action, x, y}
let selected = null;
let countdown = null;

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const payload = response.status === 204 ? {} : await response.json();
  if (!response.ok) {
    const error = payload.error || { code: String(response.status), message: response.statusText };
    throw new Error(`${error.message} (${error.code})`);
  }
  return payload;
}

function showError(message) {
  setText("play-error", message);
  document.getElementById("play-error").hidden = !message;
}

// The referee's input for one turn, as docs/rules.md describes it.
export function parseInput(text, maze) {
  const lines = text.split("\n").filter((line) => line.length > 0);
  let at = 0;
  if (/^\d+ \d+$/.test(lines[0]) && lines.length > 2 && /^[# ]+$/.test(lines[1])) {
    const height = Number(lines[0].split(" ")[1]);
    maze = lines.slice(1, 1 + height);
    at = 1 + height;
  }
  const scores = lines[at++].split(" ").map(Number);
  const pacs = [];
  for (let left = Number(lines[at++]); left > 0; left -= 1) {
    const [id, mine, x, y, type, speedLeft, cooldown] = lines[at++].split(" ");
    pacs.push({ id: Number(id), mine: mine === "1", x: Number(x), y: Number(y), type, speedLeft: Number(speedLeft), cooldown: Number(cooldown) });
  }
  const pellets = [], supers = [];
  for (let left = Number(lines[at++]); left > 0; left -= 1) {
    const [x, y, value] = lines[at++].split(" ").map(Number);
    (value > 1 ? supers : pellets).push([x, y]);
  }
  return { maze, scores, pacs, pellets, supers };
}

function asState(parsed) {
  return {
    pellets: parsed.pellets,
    super_pellets: parsed.supers,
    pacs: parsed.pacs.map((pac) => [pac.mine ? 0 : 1, pac.id, pac.x, pac.y, pac.type, pac.type, pac.speedLeft > 0 ? 2 : 1]),
  };
}

function redraw() {
  if (!current) return;
  const marks = Object.values(orders).filter((order) => order.action === "MOVE").map((order) => ({ player: 0, x: order.x, y: order.y }));
  board.draw(asState(current.parsed), marks);
}

function pacRow(pac) {
  const row = document.createElement("tr");
  const pick = document.createElement("input");
  pick.type = "radio"; pick.name = "pac"; pick.id = `pac-${pac.id}`; pick.checked = selected === pac.id;
  pick.addEventListener("change", () => { selected = pac.id; });
  const label = document.createElement("label");
  label.htmlFor = pick.id; label.textContent = `Pac ${pac.id} (${pac.type}) at ${pac.x},${pac.y}`;
  const action = document.createElement("select");
  action.id = `action-${pac.id}`;
  action.setAttribute("aria-label", `Action of pac ${pac.id}`);
  for (const choice of ["MOVE", "SPEED", ...TYPES.filter((t) => t !== pac.type).map((t) => `SWITCH ${t}`)]) {
    const option = document.createElement("option");
    option.value = choice; option.textContent = choice === "MOVE" ? "MOVE (click a cell)" : choice;
    option.disabled = choice !== "MOVE" && pac.cooldown > 0;
    action.append(option);
  }
  action.value = orders[pac.id].action;
  action.addEventListener("change", () => { orders[pac.id].action = action.value; redraw(); describe(); });
  const target = document.createElement("span");
  target.id = `target-${pac.id}`;
  target.className = "muted";
  row.append(...[pick, label, action, target].map((node) => { const cell = document.createElement("td"); cell.append(node); return cell; }));
  return row;
}

function describe() {
  for (const [id, order] of Object.entries(orders)) {
    setText(`target-${id}`, order.action === "MOVE" ? `→ ${order.x},${order.y}` : "");
  }
  setText("command", command());
}

function command() {
  return Object.entries(orders).map(([id, order]) => {
    if (order.action === "MOVE") return `MOVE ${id} ${order.x} ${order.y}`;
    if (order.action === "SPEED") return `SPEED ${id}`;
    return `SWITCH ${id} ${order.action.split(" ")[1]}`;
  }).join(" | ");
}

function showTurn(view) {
  const parsed = parseInput(view.text, board ? board.maze : config.maze);
  if (!board) {
    board = new Board(document.getElementById("board"), parsed.maze);
    board.canvas.addEventListener("click", onCellClick);
  }
  current = { turn: view.turn, parsed, deadline: view.deadline };
  const mine = parsed.pacs.filter((pac) => pac.mine && pac.type !== "DEAD");
  orders = Object.fromEntries(mine.map((pac) => [pac.id, { action: "MOVE", x: pac.x, y: pac.y }]));
  selected = mine.length ? mine[0].id : null;
  const table = document.getElementById("pacs");
  table.replaceChildren(...mine.map(pacRow));
  setText("turn", `Turn ${view.turn}`);
  setText("score0", String(parsed.scores[0]));
  setText("score1", String(parsed.scores[1]));
  document.getElementById("send").disabled = false;
  startCountdown(view.deadline);
  describe();
  redraw();
}

function deadlineMs(deadline) {
  if (typeof deadline === "number") return deadline > 1e12 ? deadline : deadline * 1000;
  return Date.parse(deadline);
}

function startCountdown(deadline) {
  clearInterval(countdown);
  if (deadline === null || deadline === undefined) { setText("deadline", ""); return; }
  const end = deadlineMs(deadline);
  const tick = () => {
    const left = Math.max(0, (end - Date.now()) / 1000);
    setText("deadline", `${left.toFixed(1)} s left for this turn`);
    if (left <= 0) clearInterval(countdown);
  };
  tick();
  countdown = setInterval(tick, 100);
}

function onCellClick(event) {
  if (selected === null) return;
  const cell = board.cellAt(event);
  if (!cell.floor) return;
  orders[selected] = { action: "MOVE", x: cell.x, y: cell.y };
  document.getElementById(`action-${selected}`).value = "MOVE";
  const ids = Object.keys(orders).map(Number);
  selected = ids[(ids.indexOf(selected) + 1) % ids.length];
  document.getElementById(`pac-${selected}`).checked = true;
  describe();
  redraw();
}

async function waitForTurnAfter(turn) {
  for (;;) {
    const view = await api("GET", `/api/battles/${battle}/state`);
    if (view.turn > turn || (view.state && view.state.over)) return view;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function send() {
  document.getElementById("send").disabled = true;
  showError("");
  try {
    await api("POST", `/api/battles/${battle}/turn`, { turn: current.turn, command: command() });
    const view = await waitForTurnAfter(current.turn);
    if (view.state && view.state.over) return over();
    showTurn(view);
  } catch (error) {
    showError(error.message);
    document.getElementById("send").disabled = false;
  }
}

function over() {
  clearInterval(countdown);
  setText("deadline", "The game is over.");
  const link = document.getElementById("result-link");
  link.href = `/battles/${battle}`;
  link.hidden = false;
}

async function start(event) {
  event.preventDefault();
  showError("");
  const form = new FormData(event.target);
  const body = { opponent: form.get("opponent") };
  if (form.get("seat")) body.seat = Number(form.get("seat"));
  try {
    const created = await api("POST", "/api/battles/live", body);
    battle = created.id;
    history.replaceState(null, "", `/play/${battle}`);
    document.getElementById("game").hidden = false;
    showTurn(await api("GET", `/api/battles/${battle}/state`));
  } catch (error) {
    showError(error.message);
  }
}

document.getElementById("start").addEventListener("submit", start);
document.getElementById("send").addEventListener("click", send);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.target.closest("select, input, textarea, button") && !document.getElementById("send").disabled) send();
});
if (battle) {
  document.getElementById("game").hidden = false;
  api("GET", `/api/battles/${battle}/state`).then(showTurn, (error) => showError(error.message));
}
