// The search page: pick or drop an image, POST it to /v1/search, show the neighbours; page through the index.
// Everything the server sends is shown as text (ids are the clients' own strings), never as HTML.
"use strict";

const PAGE = 40;
let browseOffset = 0;

function $(id) {
  return document.getElementById(id);
}

function showError(message) {
  const el = $("error");
  el.textContent = message;
  el.hidden = !message;
}

async function errorOf(response) {
  try {
    const body = await response.json();
    return body.error || response.statusText;
  } catch (e) {
    return response.status + " " + response.statusText;
  }
}

function labelText(label) {
  return label < 0 ? "no label" : "label " + label;
}

function card(className, image) {
  const figure = document.createElement("figure");
  figure.className = className;
  figure.dataset.id = image.id;
  figure.dataset.label = String(image.label);
  const img = document.createElement("img");
  img.src = image.thumbnail;
  img.alt = image.id;
  img.loading = "lazy";
  const caption = document.createElement("figcaption");
  if (image.score !== undefined) {
    const score = document.createElement("div");
    score.className = "score";
    score.textContent = image.score.toFixed(4);
    caption.append(score);
  }
  const label = document.createElement("div");
  label.className = "label";
  label.textContent = labelText(image.label);
  const id = document.createElement("div");
  id.className = "id";
  id.textContent = image.id;
  caption.append(label, id);
  figure.append(img, caption);
  return figure;
}

async function refreshStatus() {
  const response = await fetch("/health");
  if (!response.ok) {
    showError(await errorOf(response));
    return;
  }
  const health = await response.json();
  $("model-id").textContent = health.model_id;
  $("index-size").textContent = String(health.index_size);
  $("k").max = String(health.max_k);
}

async function search(file) {
  showError("");
  const k = Math.max(1, parseInt($("k").value, 10) || 8);
  const figure = $("query-figure");
  const queryImage = $("query-image");
  if (queryImage.src) {
    URL.revokeObjectURL(queryImage.src);
  }
  queryImage.src = URL.createObjectURL(file);
  $("query-name").textContent = file.name;
  figure.hidden = false;
  $("results").replaceChildren();
  $("timings").textContent = "searching…";
  const started = performance.now();
  const response = await fetch("/v1/search?k=" + k, {
    method: "POST",
    headers: {"Content-Type": file.type || "application/octet-stream"},
    body: file,
  });
  const roundTrip = performance.now() - started;
  if (!response.ok) {
    $("timings").textContent = "";
    showError(await errorOf(response));
    return;
  }
  const result = await response.json();
  const steps = Object.entries(result.timings_ms).map(([step, ms]) => step + " " + ms.toFixed(1) + " ms");
  $("timings").textContent = steps.join(" · ") + " · round trip " + roundTrip.toFixed(1) + " ms";
  $("index-size").textContent = String(result.index_size);
  $("model-id").textContent = result.model_id;
  $("results").replaceChildren(...result.hits.map((hit) => card("hit", hit)));
}

async function browse(offset) {
  const response = await fetch("/v1/images?offset=" + offset + "&limit=" + PAGE);
  if (!response.ok) {
    showError(await errorOf(response));
    return;
  }
  const page = await response.json();
  browseOffset = offset;
  $("browse").replaceChildren(...page.images.map((image) => card("item", image)));
  const last = Math.min(page.total, offset + page.images.length);
  $("browse-range").textContent = page.total === 0 ? "the index is empty"
    : (offset + 1) + "–" + last + " of " + page.total;
  $("browse-prev").disabled = offset === 0;
  $("browse-next").disabled = last >= page.total;
}

function setUp() {
  const drop = $("drop");
  $("file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) {
      search(file).catch((e) => showError(String(e)));
    }
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer.files[0];
    if (file) {
      search(file).catch((e) => showError(String(e)));
    }
  });
  $("browse-prev").addEventListener("click", () => browse(Math.max(0, browseOffset - PAGE)));
  $("browse-next").addEventListener("click", () => browse(browseOffset + PAGE));
  refreshStatus().catch((e) => showError(String(e)));
  browse(0).catch((e) => showError(String(e)));
}

document.addEventListener("DOMContentLoaded", setUp);
