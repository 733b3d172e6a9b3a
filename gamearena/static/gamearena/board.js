// Draws one game state on a canvas: maze, pellets, super pellets, pacs with type and speed.
// A state is the engine's snapshot (battles/engine/game.py Game.snapshot): pacs are rows
// [player, number, x, y, listedType, type, speed, speedTurnsLeft, cooldown, prev].
const COLOURS = ["#e8a33d", "#3d8be8"];
const TYPE_LETTER = { ROCK: "R", PAPER: "P", SCISSORS: "S", DEAD: "✕" };

export class Board {
  constructor(canvas, maze) {
    this.canvas = canvas;
    this.maze = maze;
    this.height = maze.length;
    this.width = maze[0].length;
    this.cell = Math.max(8, Math.floor(900 / this.width));
    canvas.width = this.width * this.cell;
    canvas.height = this.height * this.cell;
    canvas.dataset.columns = String(this.width);
    canvas.dataset.rows = String(this.height);
    this.context = canvas.getContext("2d");
  }

  cellAt(event) {
    const box = this.canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - box.left) / box.width) * this.width);
    const y = Math.floor(((event.clientY - box.top) / box.height) * this.height);
    return { x, y, floor: this.maze[y] !== undefined && this.maze[y][x] === " " };
  }

  draw(state, marks = []) {
    const g = this.context, c = this.cell;
    g.fillStyle = "#0b1020";
    g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    g.fillStyle = "#27407a";
    this.maze.forEach((row, y) => {
      for (let x = 0; x < row.length; x += 1) if (row[x] === "#") g.fillRect(x * c, y * c, c, c);
    });
    if (!state) return;
    g.fillStyle = "#f4e6b8";
    for (const [x, y] of state.pellets || []) this.dot(x, y, c * 0.12);
    g.fillStyle = "#ffd23f";
    for (const [x, y] of state.super_pellets || []) this.dot(x, y, c * 0.32);
    for (const mark of marks) {
      g.strokeStyle = COLOURS[mark.player] || "#fff";
      g.lineWidth = 2;
      g.strokeRect(mark.x * c + 2, mark.y * c + 2, c - 4, c - 4);
    }
    for (const pac of state.pacs || []) this.pac(pac);
  }

  dot(x, y, radius) {
    const g = this.context, c = this.cell;
    g.beginPath();
    g.arc(x * c + c / 2, y * c + c / 2, radius, 0, 2 * Math.PI);
    g.fill();
  }

  pac([player, number, x, y, listed, , speed]) {
    const g = this.context, c = this.cell;
    const dead = listed === "DEAD";
    g.globalAlpha = dead ? 0.35 : 1;
    g.fillStyle = COLOURS[player];
    this.dot(x, y, c * 0.45);
    g.fillStyle = "#0b1020";
    g.font = `bold ${Math.floor(c * 0.5)}px system-ui, sans-serif`;
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(`${TYPE_LETTER[listed] || "?"}${number}`, x * c + c / 2, y * c + c / 2);
    if (speed > 1 && !dead) {  // a speed boost: a white ring
      g.strokeStyle = "#ffffff";
      g.lineWidth = 2;
      g.beginPath();
      g.arc(x * c + c / 2, y * c + c / 2, c * 0.48, 0, 2 * Math.PI);
      g.stroke();
    }
    g.globalAlpha = 1;
  }
}

// The JSON a page hands its script through json_script (never inline HTML).
export function pageData(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

export function setText(id, text) {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}
