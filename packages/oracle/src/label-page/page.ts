/**
 * The labelling page: one self-contained HTML document (inline style and script, no external
 * resources) that shows one item at a time — prompt and response only, so labelling stays blind —
 * with a button per label value, keyboard shortcuts, progress, and navigation. Every label is sent
 * to the server, which writes it to disk before answering; keys are handled strictly in order, so
 * fast typing never labels the wrong item. Reloading resumes at the first unlabelled item.
 */

/** The page, with `nonce` authorizing its inline style and script under the server's CSP. */
export function labelPageHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cje label</title>
<style nonce="${nonce}">
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f5f5f7; }
  header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #fff; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 1rem; margin: 0; }
  #progress { flex: 1; }
  #bar { height: 6px; background: #e3e3e8; border-radius: 3px; overflow: hidden; margin-top: .2rem; }
  #bar div { height: 100%; background: #2f7d32; width: 0; }
  main { max-width: 60rem; margin: 1rem auto; padding: 0 1rem; }
  section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .8rem 1rem; margin-bottom: .8rem; }
  section h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: #666; margin: 0 0 .3rem; }
  .text { white-space: pre-wrap; word-wrap: break-word; max-height: 40vh; overflow: auto; }
  #labels { display: flex; flex-wrap: wrap; gap: .5rem; }
  #labels button { font-size: 1rem; min-width: 3.2rem; padding: .5rem .8rem; border: 1px solid #999; border-radius: 5px; background: #fff; cursor: pointer; }
  #labels button[aria-pressed="true"] { background: #2f7d32; color: #fff; border-color: #2f7d32; }
  #labels kbd { display: block; font-size: .7rem; color: #888; }
  #labels button[aria-pressed="true"] kbd { color: #dfd; }
  #status { min-height: 1.4rem; color: #555; }
  #status.error { color: #b00020; font-weight: 600; }
  footer { font-size: .8rem; color: #666; }
  nav button { padding: .3rem .7rem; }
</style>
</head>
<body>
<header>
  <h1>cje label</h1>
  <div id="progress"><span id="progress-text">loading…</span><div id="bar"><div></div></div></div>
  <nav><button id="prev" title="previous (←)">←</button> <span id="position"></span> <button id="next" title="next (→)">→</button></nav>
</header>
<main>
  <section><h2>Prompt</h2><div id="prompt" class="text"></div></section>
  <section><h2>Response</h2><div id="response" class="text"></div></section>
  <section><h2>Your label <span id="current-label"></span></h2><div id="labels"></div></section>
  <div id="status" role="status"></div>
  <footer>
    Keys: the number shown under a label sets it and moves on · ← / → or k / j move · n: next unlabelled ·
    Backspace: clear the label · Every label is saved to disk at once; reload to resume. Export:
    <a href="/export.csv">CSV</a> · <a href="/export.jsonl">JSONL</a> · item <code id="item-id"></code>
  </footer>
</main>
<script nonce="${nonce}">
"use strict";
const state = { items: [], values: [], keys: [], index: 0 };
const $ = (id) => document.getElementById(id);
let queue = Promise.resolve();

function labelledCount() { return state.items.filter((it) => it.oracle_label !== null).length; }
function firstUnlabelled(from) {
  for (let k = 0; k < state.items.length; k++) {
    const i = (from + k) % state.items.length;
    if (state.items[i].oracle_label === null) return i;
  }
  return -1;
}
function setStatus(text, error) { const s = $("status"); s.textContent = text; s.className = error ? "error" : ""; }

function render() {
  const n = state.items.length;
  const done = labelledCount();
  $("progress-text").textContent = done + " of " + n + " labelled" + (done === n ? " — all done" : "");
  $("bar").firstElementChild.style.width = (n === 0 ? 100 : (100 * done) / n) + "%";
  if (n === 0) return;
  const item = state.items[state.index];
  $("position").textContent = "item " + (state.index + 1) + " / " + n;
  $("prompt").textContent = item.prompt ?? "(no prompt text)";
  $("response").textContent = item.response ?? "(no response text)";
  $("item-id").textContent = item.item_id;
  $("current-label").textContent = item.oracle_label === null ? "(none yet)" : "= " + item.oracle_label;
  for (const button of $("labels").children) {
    button.setAttribute("aria-pressed", String(item.oracle_label !== null && Number(button.dataset.value) === item.oracle_label));
  }
}

function move(to) {
  if (state.items.length === 0) return;
  state.index = Math.max(0, Math.min(state.items.length - 1, to));
  render();
}

async function save(value) {
  const item = state.items[state.index];
  setStatus("saving…", false);
  const response = await fetch("/api/labels/" + encodeURIComponent(item.item_id), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ label: value }),
  });
  if (!response.ok) {
    setStatus("NOT saved (item " + (state.index + 1) + "): " + (await response.text()), true);
    return false;
  }
  item.oracle_label = value;
  setStatus(value === null ? "label cleared (saved)" : "saved " + value + " for item " + (state.index + 1), false);
  render();
  return true;
}

async function choose(value) {
  if (await save(value) && state.index < state.items.length - 1) move(state.index + 1);
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const k = state.keys.indexOf(event.key);
  let action = null;
  if (k >= 0) action = () => choose(state.values[k]);
  else if (event.key === "ArrowRight" || event.key === "j") action = () => move(state.index + 1);
  else if (event.key === "ArrowLeft" || event.key === "k") action = () => move(state.index - 1);
  else if (event.key === "n") action = () => { const i = firstUnlabelled(state.index); if (i >= 0) move(i); };
  else if (event.key === "Backspace" || event.key === "Delete") action = () => save(null);
  if (action === null) return;
  event.preventDefault();
  queue = queue.then(action).catch((error) => setStatus("error: " + error.message, true));
}

async function start() {
  const response = await fetch("/api/state");
  const data = await response.json();
  Object.assign(state, { items: data.items, values: data.values, keys: data.keys });
  data.values.forEach((value, i) => {
    const button = document.createElement("button");
    button.dataset.value = String(value);
    button.textContent = String(value);
    if (data.keys[i] !== null) {
      const hint = document.createElement("kbd");
      hint.textContent = data.keys[i];
      button.appendChild(hint);
    }
    button.addEventListener("click", () => { queue = queue.then(() => choose(value)); });
    $("labels").appendChild(button);
  });
  $("prev").addEventListener("click", () => move(state.index - 1));
  $("next").addEventListener("click", () => move(state.index + 1));
  document.addEventListener("keydown", onKey);
  const first = firstUnlabelled(0);
  state.index = first >= 0 ? first : 0;
  document.body.dataset.ready = "true";
  render();
}
start().catch((error) => setStatus("could not load the items: " + error.message, true));
</script>
</body>
</html>
`;
}
