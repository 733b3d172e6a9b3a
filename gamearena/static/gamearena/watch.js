// Watching a battle live: the viewer's board fed by the battle's event stream (SSE). The
// browser's EventSource resends Last-Event-ID by itself when it reconnects, so a dropped
// connection resumes where it stopped.
import { Board, pageData, setText } from "./board.js";

const data = pageData("viewer-data");
const board = new Board(document.getElementById("board"), data.maze);
const source = new EventSource(`/api/battles/${data.battle}/events`);
board.draw(null);

function stateOf(event) {
  try {
    const payload = JSON.parse(event.data);
    return payload.state || payload;
  } catch {
    return null;
  }
}

function onState(event) {
  const state = stateOf(event);
  if (!state || !state.pacs) return;
  board.draw(state);
  setText("turn", `Turn ${state.turn}`);
  if (state.scores) {
    setText("score0", String(state.scores[0]));
    setText("score1", String(state.scores[1]));
  }
  if (state.over) finished();
}

function finished() {
  source.close();
  setText("live-status", "The battle is over.");
  document.getElementById("replay-link").hidden = false;
}

source.addEventListener("message", onState);
source.addEventListener("state", onState);
source.addEventListener("turn", onState);
source.addEventListener("end", finished);
source.addEventListener("finished", finished);
source.addEventListener("error", () => setText("live-status", "Reconnecting to the battle…"));
source.addEventListener("open", () => setText("live-status", "Live"));
