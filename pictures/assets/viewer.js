// The HTML drawing's behaviour: sigma.js draws the graph (WebGL), this file
// adds the hover card, search, neighbour highlighting and group toggles.
//
// The page's data is the JSON in <script id="graph-data">:
//   nodes  [key, name, kind, sector, x, y, radius, group, degree, label rank, folded name,
//           [sources], ego]  (label rank: 1 for the most central labelled node, 0 for no
//           label; ego: 1 for the start of an ego drawing, else 0)
//   ties   [a0, b0, a1, b1, ...] indexes into nodes; tie k is edge "k" of the graph
//   legend [{name, color, nodes}]
//   years  {first, last, ties: per tie [from, to, from, to, ...]}: the runs of
//          years each tie is valid in (null: an open end), or null when no
//          tie has a date (the year slider is then hidden)
// Opening the page with #search=TEXT runs that search once drawn; #years=2016
// or #years=2014-2018 sets the year slider; #list=1 writes the keys of the
// nodes and ties sigma shows into <pre id="drawn"> (the browser tests use
// them).
//
// The year slider shows only the ties valid in a year of the chosen range
// (as the report's ties-per-year chart counts them) and hides the nodes left
// with no such tie (the ego stays).
//
// Large drawings (more than kLarge ties) stay responsive by never making
// sigma reprocess every tie for a small change: hovering draws on sigma's
// hover layer only; a click updates the nodes and the ties of the old and
// new selection only (the others keep their look, instead of being hidden);
// only the group toggles reprocess everything.
(function () {
  "use strict";
  // Where the time to the first frame goes (bench/browser_bench.py reads it).
  const timings = {};
  let mark = performance.now();
  function lap(name) {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  }
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  lap("parse");
  const N = { key: 0, name: 1, kind: 2, sector: 3, x: 4, y: 5, r: 6, group: 7, degree: 8,
              rank: 9, folded: 10, sources: 11, ego: 12 };
  const kLarge = 50000;

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
      forceLabel: n[N.rank] > 0,
      // The ego is marked as sigma marks a highlighted node (its label boxed).
      highlighted: n[N.ego] === 1,
    });
  });
  // Ties are distinct pairs (the writer merges parallel edges): no
  // attributes of their own (sigma's defaults) and no existence check.
  for (let k = 0; 2 * k < data.ties.length; k++) {
    graph.addEdgeWithKey(String(k), String(data.ties[2 * k]), String(data.ties[2 * k + 1]));
  }
  const large = graph.size > kLarge;
  lap("graph");

  const hiddenGroups = new Set();
  // The year filter: null for all years, else [from, to]; per tie whether
  // it is valid in one of those years, and per node how many such ties it has.
  let years = null;
  const tieInYears = new Uint8Array(graph.size);
  const nodeTiesInYears = new Uint32Array(graph.order);
  let selected = null;            // the clicked node
  let neighbours = new Set();

  // Labels: sigma asks for the labels of the nodes large enough on screen
  // and of the labelled ones; they are collected while it draws and placed
  // when it is done, most central first, each only where it overlaps no
  // label already placed.
  const pendingLabels = [];
  function labelPriority(key, size) {
    const rank = data.nodes[+key][N.rank];
    return rank > 0 ? rank : 1e9 - size;
  }
  function placeLabels() {
    pendingLabels.sort((a, b) => a.priority - b.priority);
    const boxes = [];
    for (const { context, label, settings } of pendingLabels) {
      context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
      const x0 = label.x + label.size + 3, width = context.measureText(label.label).width;
      const box = [x0, label.y - settings.labelSize, x0 + width, label.y + settings.labelSize / 2];
      if (boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) {
        continue;
      }
      boxes.push(box);
      Sigma.rendering.drawDiscNodeLabel(context, label, settings);
    }
    pendingLabels.length = 0;
  }

  const container = document.getElementById("graph");
  const renderer = new Sigma(graph, container, {
    labelFont: '"DejaVu Sans", Helvetica, Arial, sans-serif',
    labelSize: 12,
    labelRenderedSizeThreshold: 8,
    defaultEdgeColor: "#c8c8c8",
    // Large drawings: ties as one-pixel GL lines (two vertices each, not a
    // six-vertex antialiased band), hidden while the view moves, no sorting
    // of a million ties by depth on every update...
    edgeProgramClasses: large ? { line: Sigma.rendering.EdgeLineProgram } : {},
    // and nodes as GL points (one vertex each, not a triangle).
    nodeProgramClasses: large ? { circle: Sigma.rendering.NodePointProgram } : {},
    hideEdgesOnMove: large,
    zIndex: !large,
    defaultDrawNodeLabel(context, label, settings) {
      if (label.label) {
        pendingLabels.push({ context, label, settings,
                             priority: labelPriority(label.key, label.size) });
      }
    },
    nodeReducer(node, attrs) {
      if (selected === null && hiddenGroups.size === 0 && years === null) return attrs;
      const n = data.nodes[+node];
      if (hiddenGroups.has(n[N.group]) || yearHidesNode(+node)) return { ...attrs, hidden: true };
      if (selected === null) return attrs;
      if (node !== selected && !neighbours.has(node)) {
        return { ...attrs, color: "#e4e4e4", label: "", forceLabel: false, zIndex: 0 };
      }
      return { ...attrs, forceLabel: true, zIndex: 1 };
    },
    edgeReducer(edge, attrs) {
      if (selected === null && hiddenGroups.size === 0 && years === null) return attrs;
      const a = data.ties[2 * +edge], b = data.ties[2 * +edge + 1];
      if (hiddenGroups.has(data.nodes[a][N.group]) || hiddenGroups.has(data.nodes[b][N.group]) ||
          (years !== null && !tieInYears[+edge])) {
        return { ...attrs, hidden: true };
      }
      if (selected !== null) {
        if (String(a) !== selected && String(b) !== selected) {
          return large ? attrs : { ...attrs, hidden: true };
        }
        return { ...attrs, color: "#555", size: 1 };
      }
      return attrs;
    },
  });
  function yearHidesNode(i) {
    return years !== null && nodeTiesInYears[i] === 0 && data.nodes[i][N.ego] !== 1;
  }
  renderer.on("afterRender", placeLabels);
  // After a drag sigma reprocesses every node and tie when ties were hidden
  // while moving (seconds for a million ties), though only a redraw is
  // needed: forget the drag before its timer looks, and redraw.
  if (large) {
    const captor = renderer.getMouseCaptor();
    captor.on("mouseup", () => {
      captor.draggedEvents = 0;
      renderer.scheduleRender();
    });
  }
  lap("sigma");

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
  // Sigma draws the hovered node and its label on its hover layer itself.
  renderer.on("enterNode", ({ node }) => showCard(node));
  renderer.on("leaveNode", () => { card.hidden = true; });

  // Click: highlight the node and its neighbours; click the background to clear.
  const selection = document.getElementById("selection");
  function select(node) {
    const before = selected;
    selected = node;
    neighbours = new Set(node === null ? [] : graph.neighbors(node));
    selection.textContent = node === null ? "" :
      data.nodes[+node][N.name] + ": " + neighbours.size + " neighbours";
    if (!large || hiddenGroups.size > 0 || years !== null) {
      renderer.refresh();
      return;
    }
    const ties = [];
    for (const n of [before, node]) {
      if (n !== null) graph.forEachEdge(n, (edge) => ties.push(edge));
    }
    renderer.refresh({ partialGraph: { nodes: graph.nodes(), edges: ties },
                       skipIndexation: true });
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
      showCounts();
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
      if (!hiddenGroups.has(data.nodes[+node][N.group]) && !yearHidesNode(+node)) nodes++;
    });
    graph.forEachEdge((edge, attrs, a, b) => {
      if (!hiddenGroups.has(data.nodes[+a][N.group]) && !hiddenGroups.has(data.nodes[+b][N.group]) &&
          (years === null || tieInYears[+edge])) edges++;
    });
    return { nodes, edges };
  }
  const shownText = document.getElementById("shown");
  function showCounts() {
    const s = shown();
    const plural = (n, word) => n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
    shownText.textContent = plural(s.edges, "tie") + " and " + plural(s.nodes, "node") + " shown" +
      (years === null ? "" : years[0] === years[1] ? " (" + years[0] + ")"
                                                   : " (" + years[0] + "\u2013" + years[1] + ")");
    document.body.dataset.nodes = s.nodes;
    document.body.dataset.edges = s.edges;
    return s;
  }

  // The year slider: two ranges, from and to (equal for one year); "all
  // years" shows every tie, also those without a year in common.
  const allYears = document.getElementById("all-years");
  const yearFrom = document.getElementById("year-from"), yearTo = document.getElementById("year-to");
  function setYears(range) {
    years = range;
    if (range !== null) {
      const [lo, hi] = range;
      nodeTiesInYears.fill(0);
      for (let k = 0; k < tieInYears.length; k++) {
        const spans = data.years.ties[k];
        let valid = 0;
        for (let i = 0; i < spans.length && !valid; i += 2) {
          if ((spans[i] === null || spans[i] <= hi) && (spans[i + 1] === null || spans[i + 1] >= lo)) {
            valid = 1;
          }
        }
        tieInYears[k] = valid;
        if (valid) {
          nodeTiesInYears[data.ties[2 * k]]++;
          nodeTiesInYears[data.ties[2 * k + 1]]++;
        }
      }
    }
    allYears.checked = range === null;
    document.getElementById("year-from-value").value = yearFrom.value;
    document.getElementById("year-to-value").value = yearTo.value;
    renderer.refresh();
    showCounts();
  }
  // Moving a slider past the other takes the other along. Large drawings
  // are redrawn when the slider is let go, not at every step.
  function yearsMoved(moved) {
    if (+yearFrom.value > +yearTo.value) (moved === yearFrom ? yearTo : yearFrom).value = moved.value;
    document.getElementById("year-from-value").value = yearFrom.value;
    document.getElementById("year-to-value").value = yearTo.value;
  }
  if (data.years === null) {
    document.getElementById("years").hidden = true;
  } else {
    for (const input of [yearFrom, yearTo]) {
      input.min = data.years.first;
      input.max = data.years.last;
      input.step = 1;
      input.addEventListener("input", () => {
        yearsMoved(input);
        if (!large) setYears([+yearFrom.value, +yearTo.value]);
      });
      input.addEventListener("change", () => setYears([+yearFrom.value, +yearTo.value]));
    }
    yearFrom.value = data.years.first;
    yearTo.value = data.years.last;
    yearsMoved(yearFrom);
    allYears.addEventListener("change", () => {
      setYears(allYears.checked ? null : [+yearFrom.value, +yearTo.value]);
    });
  }

  // The keys of the nodes and ties sigma shows, one per line ("key" and
  // "key key"), for the browser tests.
  function listDrawn() {
    const lines = [];
    graph.forEachNode((node) => {
      if (!renderer.getNodeDisplayData(node).hidden) lines.push(data.nodes[+node][N.key]);
    });
    graph.forEachEdge((edge, attrs, a, b) => {
      if (!renderer.getEdgeDisplayData(edge).hidden) {
        lines.push(data.nodes[+a][N.key] + " " + data.nodes[+b][N.key]);
      }
    });
    return lines;
  }
  window.samverkan = { graph, renderer, search, select, fold, shown, timings, setYears, listDrawn,
                       hideGroup(i) { hiddenGroups.add(i); renderer.refresh(); showCounts(); } };

  const params = new URLSearchParams(location.hash.slice(1));
  const query = params.get("search");
  if (query !== null) {
    input.value = query;
    search(query);
  }
  const asked = /^(\d+)(?:-(\d+))?$/.exec(params.get("years") || "");
  if (asked && data.years !== null) {
    yearFrom.value = asked[1];
    yearTo.value = asked[2] || asked[1];
    yearsMoved(yearTo);
    yearFrom.dispatchEvent(new Event("change"));
  }
  // Sigma drew the graph when it was made; the next frame shows the page
  // as the controls above left it.
  renderer.once("afterRender", () => {
    lap("first render");
    timings["page to first frame"] = Math.round(performance.now());
    showCounts();
    if (params.get("list")) {
      const pre = document.createElement("pre");
      pre.id = "drawn";
      pre.hidden = true;
      pre.textContent = listDrawn().join("\n");
      document.body.append(pre);
    }
    document.body.dataset.ready = "1";
  });
  renderer.scheduleRender();
})();
