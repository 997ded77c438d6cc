// The HTML drawing's behaviour: sigma.js draws the graph (WebGL), this file
// adds the hover card, search, neighbour highlighting and group toggles.
//
// The page's data is the JSON in <script id="graph-data">:
//   nodes  [key, name, kind, sector, x, y, radius, group, degree, labelled, folded name, [sources]]
//   ties   [a0, b0, a1, b1, ...] indexes into nodes
//   legend [{name, color, nodes}]
// Opening the page with #search=TEXT runs that search once drawn (the
// browser tests use it).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const N = { key: 0, name: 1, kind: 2, sector: 3, x: 4, y: 5, r: 6, group: 7, degree: 8,
              labelled: 9, folded: 10, sources: 11 };

  // Folds text as kg_find does (case, diacritics, runs of spaces and
  // punctuation): "Örebro  universitet" and "orebro universitet" match.
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[\s\p{P}\p{S}]+/gu, " ").trim();
  }

  const graph = new graphology.Graph({ type: "undirected", multi: false });
  data.nodes.forEach((n, i) => {
    graph.addNode(String(i), {
      x: n[N.x], y: -n[N.y],  // sigma's y axis points up, the canvas's down
      size: Math.max(2, n[N.r] * 0.6),
      color: data.legend[n[N.group]].color,
      label: n[N.name],
      forceLabel: n[N.labelled] === 1,
    });
  });
  for (let i = 0; i < data.ties.length; i += 2) {
    const a = String(data.ties[i]), b = String(data.ties[i + 1]);
    if (!graph.hasEdge(a, b)) graph.addEdge(a, b, { color: "#c8c8c8", size: 0.5 });
  }

  const hiddenGroups = new Set();
  let selected = null;            // the clicked node
  let neighbours = new Set();
  let hovered = null;

  const container = document.getElementById("graph");
  const renderer = new Sigma(graph, container, {
    labelFont: '"DejaVu Sans", Helvetica, Arial, sans-serif',
    labelSize: 12,
    labelRenderedSizeThreshold: 8,
    zIndex: true,
    hideEdgesOnMove: graph.size > 50000,
    nodeReducer(node, attrs) {
      const n = data.nodes[+node];
      if (hiddenGroups.has(n[N.group])) return { ...attrs, hidden: true };
      if (selected !== null && node !== selected && !neighbours.has(node)) {
        return { ...attrs, color: "#e4e4e4", label: "", forceLabel: false, zIndex: 0 };
      }
      if (selected !== null || node === hovered) return { ...attrs, forceLabel: true, zIndex: 1 };
      return attrs;
    },
    edgeReducer(edge, attrs) {
      const [a, b] = graph.extremities(edge);
      if (hiddenGroups.has(data.nodes[+a][N.group]) || hiddenGroups.has(data.nodes[+b][N.group])) {
        return { ...attrs, hidden: true };
      }
      if (selected !== null) {
        if (a !== selected && b !== selected) return { ...attrs, hidden: true };
        return { ...attrs, color: "#555", size: 1 };
      }
      return attrs;
    },
  });

  // Hover card: name, kind, sector, degree, sources.
  const card = document.getElementById("card");
  function showCard(node) {
    const n = data.nodes[+node];
    const rows = [["kind", n[N.kind]], ["sector", n[N.sector] || "—"], ["degree", n[N.degree]],
                  ["key", n[N.key]]];
    if (n[N.sources].length) rows.push(["sources", n[N.sources].join("; ")]);
    card.replaceChildren();
    const h = document.createElement("h3");
    h.textContent = n[N.name];
    const dl = document.createElement("dl");
    for (const [k, v] of rows) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k;
      dd.textContent = String(v);
      dl.append(dt, dd);
    }
    card.append(h, dl);
    const pos = renderer.graphToViewport(renderer.getNodeDisplayData(node));
    card.style.left = Math.min(pos.x + 14, container.clientWidth - 330) + "px";
    card.style.top = Math.max(pos.y - 10, 0) + "px";
    card.hidden = false;
  }
  renderer.on("enterNode", ({ node }) => { hovered = node; showCard(node); renderer.refresh(); });
  renderer.on("leaveNode", () => { hovered = null; card.hidden = true; renderer.refresh(); });

  // Click: highlight the node and its neighbours; click the background to clear.
  const selection = document.getElementById("selection");
  function select(node) {
    selected = node;
    neighbours = new Set(node === null ? [] : graph.neighbors(node));
    selection.textContent = node === null ? "" :
      data.nodes[+node][N.name] + ": " + neighbours.size + " neighbours";
    renderer.refresh();
  }
  renderer.on("clickNode", ({ node }) => select(node));
  renderer.on("clickStage", () => select(null));

  // Search by name, folded as kg_find folds.
  const input = document.getElementById("search");
  const results = document.getElementById("results");
  function search(text) {
    const q = fold(text);
    results.replaceChildren();
    if (!q) return [];
    const found = [];
    for (let i = 0; i < data.nodes.length && found.length < 20; i++) {
      if (data.nodes[i][N.folded].includes(q)) found.push(i);
    }
    for (const i of found) {
      const li = document.createElement("li");
      li.textContent = data.nodes[i][N.name];
      li.dataset.key = data.nodes[i][N.key];
      li.addEventListener("click", () => focus(String(i)));
      results.append(li);
    }
    if (!found.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = "no match";
      results.append(li);
    }
    return found.map((i) => data.nodes[i][N.name]);
  }
  function focus(node) {
    select(node);
    const d = renderer.getNodeDisplayData(node);
    if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.3 }, { duration: 400 });
  }
  input.addEventListener("input", () => search(input.value));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && results.firstChild && results.firstChild.dataset.key) {
      results.firstChild.click();
    }
  });

  // Legend with a toggle per group.
  const legend = document.getElementById("legend");
  data.legend.forEach((g, i) => {
    const li = document.createElement("li");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.id = "group-" + i;
    box.addEventListener("change", () => {
      if (box.checked) hiddenGroups.delete(i); else hiddenGroups.add(i);
      renderer.refresh();
    });
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = g.color;
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = g.name;
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = g.nodes;
    li.append(box, swatch, label, count);
    legend.append(li);
  });

  // What is on screen, for the browser tests and the curious.
  function shown() {
    let nodes = 0, edges = 0;
    graph.forEachNode((node) => {
      if (!hiddenGroups.has(data.nodes[+node][N.group])) nodes++;
    });
    graph.forEachEdge((edge, attrs, a, b) => {
      if (!hiddenGroups.has(data.nodes[+a][N.group]) && !hiddenGroups.has(data.nodes[+b][N.group])) edges++;
    });
    return { nodes, edges };
  }
  window.samverkan = { graph, renderer, search, select, fold, shown,
                       hideGroup(i) { hiddenGroups.add(i); renderer.refresh(); } };

  const query = new URLSearchParams(location.hash.slice(1)).get("search");
  if (query !== null) {
    input.value = query;
    search(query);
  }
  renderer.once("afterRender", () => {
    const s = shown();
    document.body.dataset.nodes = s.nodes;
    document.body.dataset.edges = s.edges;
    document.body.dataset.ready = "1";
  });
  renderer.refresh();
})();
