/* kg network view: filters, search and the evidence panel over vis-network.
   Source text (labels, sentences, file names) only ever reaches the page through textContent,
   never innerHTML, so a source quoting "<script>" shows those characters and runs nothing. */
(function () {
  "use strict";

  function readJson(id) { return JSON.parse(document.getElementById(id).textContent); }
  function byId(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function fold(text) { return String(text).toLowerCase().replace(/\s+/g, " ").trim(); }

  var nodeList = readJson("kg-nodes");
  var edgeList = readJson("kg-edges");
  var statements = readJson("kg-statements");
  var facets = readJson("kg-facets");
  var config = readJson("kg-config");
  var options = readJson("kg-options");

  var nodeById = {};
  nodeList.forEach(function (n) { nodeById[n.id] = n; });
  var statementsByEntity = {};
  statements.forEach(function (s, i) {
    (statementsByEntity[s.subject] = statementsByEntity[s.subject] || []).push(i);
    if (s.object !== s.subject) { (statementsByEntity[s.object] = statementsByEntity[s.object] || []).push(i); }
  });

  var nodes = new vis.DataSet(nodeList);
  var edges = new vis.DataSet(edgeList);
  var network = new vis.Network(byId("mynetwork"), { nodes: nodes, edges: edges }, options);
  var statementShown = statements.map(function () { return true; });

  /* ---------- readiness: physics settles, then stops ---------- */
  function ready() {
    if (document.body.getAttribute("data-kg-ready") === "true") { return; }
    document.body.setAttribute("data-kg-ready", "true");
    updateStatus();
    if (config.focus && nodeById[config.focus]) { focusEntity(config.focus); }
  }
  if (config.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }

  /* ---------- filters ---------- */
  function checklist(containerId, entries, onChange) {
    var box = byId(containerId);
    entries.forEach(function (entry) {
      var label = el("label");
      var input = el("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = entry.value;
      input.addEventListener("change", onChange);
      label.appendChild(input);
      if (entry.colour) {
        var swatch = el("span", "kg-swatch");
        swatch.style.backgroundColor = entry.colour;
        label.appendChild(swatch);
      }
      label.appendChild(document.createTextNode(" " + entry.value + " "));
      label.appendChild(el("span", "kg-count", "(" + entry.count + ")"));
      label.title = entry.value;
      box.appendChild(label);
    });
  }
  function checkedValues(containerId) {
    var values = {};
    byId(containerId).querySelectorAll("input[type=checkbox]").forEach(function (input) {
      values[input.value] = input.checked;
    });
    return values;
  }

  checklist("kg-types", facets.types.map(function (t) {
    return { value: t.type, count: t.count, colour: t.colour };
  }), applyFilters);
  checklist("kg-relations", facets.relations.map(function (r) { return { value: r[0], count: r[1] }; }), applyFilters);
  checklist("kg-sources", facets.sources.map(function (s) { return { value: s[0], count: s[1] }; }), applyFilters);
  document.querySelectorAll("button.kg-all, button.kg-none").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.classList.contains("kg-all");
      byId(button.getAttribute("data-group")).querySelectorAll("input").forEach(function (i) { i.checked = on; });
      applyFilters();
    });
  });

  var yearFrom = byId("kg-year-from"), yearTo = byId("kg-year-to");
  var hasYears = facets.yearMin !== null && facets.yearMax !== null;
  [yearFrom, yearTo].forEach(function (slider) {
    slider.min = hasYears ? facets.yearMin : 0;
    slider.max = hasYears ? facets.yearMax : 0;
    slider.step = 1;
    slider.disabled = !hasYears;
    slider.addEventListener("input", function () {
      if (Number(yearFrom.value) > Number(yearTo.value)) {
        if (slider === yearFrom) { yearTo.value = yearFrom.value; } else { yearFrom.value = yearTo.value; }
      }
      applyFilters();
    });
  });
  yearFrom.value = yearFrom.min;
  yearTo.value = yearTo.max;
  ["kg-show-hedged", "kg-show-negated", "kg-show-undated"].forEach(function (id) {
    byId(id).addEventListener("change", applyFilters);
  });

  function statementPasses(s, filter) {
    if (!filter.relations[s.relation] || !filter.sources[s.source]) { return false; }
    if (s.factuality === "hedged" && !filter.hedged) { return false; }
    if (s.factuality === "negated" && !filter.negated) { return false; }
    var start = s.year !== null ? s.year : s.endYear;
    var end = s.endYear !== null ? s.endYear : s.year;
    if (start === null) { return filter.undated; }
    // a dated fact stays while its span overlaps the chosen years
    return !filter.years || (end >= filter.yearFrom && start <= filter.yearTo);
  }

  function applyFilters() {
    var filter = {
      relations: checkedValues("kg-relations"), sources: checkedValues("kg-sources"),
      types: checkedValues("kg-types"),
      hedged: byId("kg-show-hedged").checked, negated: byId("kg-show-negated").checked,
      undated: byId("kg-show-undated").checked, years: hasYears,
      yearFrom: Number(yearFrom.value), yearTo: Number(yearTo.value)
    };
    byId("kg-year-text").textContent = hasYears ? yearFrom.value + "\u2013" + yearTo.value : "no dated facts";
    statementShown = statements.map(function (s) { return statementPasses(s, filter); });
    var nodeHasEdge = {};
    var edgeChanges = [];
    edgeList.forEach(function (e) {
      var shown = filter.types[nodeById[e.from].kgType] && filter.types[nodeById[e.to].kgType] &&
        e.kgStatements.some(function (i) { return statementShown[i]; });
      if (shown) { nodeHasEdge[e.from] = nodeHasEdge[e.to] = true; }
      if (Boolean(e.hidden) === shown) { e.hidden = !shown; edgeChanges.push({ id: e.id, hidden: !shown }); }
    });
    var nodeChanges = [];
    nodeList.forEach(function (n) {
      var shown = Boolean(nodeHasEdge[n.id]);
      if (Boolean(n.hidden) === shown) { n.hidden = !shown; nodeChanges.push({ id: n.id, hidden: !shown }); }
    });
    if (edgeChanges.length) { edges.update(edgeChanges); }
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    updateStatus();
  }

  function updateStatus() {
    var shownNodes = nodeList.filter(function (n) { return !n.hidden; }).length;
    var shownFacts = statementShown.filter(Boolean).length;
    byId("kg-status").textContent = shownNodes + " of " + nodeList.length + " entities, " +
      shownFacts + " of " + statements.length + " statements shown";
  }

  /* ---------- size and colour ---------- */
  byId("kg-size-by").value = config.sizeBy;
  byId("kg-colour-by").value = config.colourBy;
  byId("kg-size-by").addEventListener("change", function (event) {
    var measure = event.target.value;
    nodes.update(nodeList.map(function (n) { return { id: n.id, size: n.kgSizes[measure] }; }));
  });
  byId("kg-colour-by").addEventListener("change", function (event) {
    var byType = event.target.value === "type";
    nodes.update(nodeList.map(function (n) {
      return { id: n.id, color: byType ? n.kgTypeColour : n.kgCommunityColour };
    }));
  });

  /* ---------- the evidence panel ---------- */
  var panel = byId("kg-panel");
  function clearPanel() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }
  function facts(pairs) {
    var list = el("dl", "kg-facts");
    pairs.forEach(function (pair) {
      if (pair[1] === null || pair[1] === undefined || pair[1] === "") { return; }
      list.appendChild(el("dt", null, pair[0]));
      list.appendChild(el("dd", null, pair[1]));
    });
    return list;
  }
  function timeText(s) {
    var years = s.year !== null ? String(s.year) : "";
    if (s.endYear !== null && s.endYear !== s.year) { years += "\u2013" + s.endYear; }
    if (s.timeText) { years += (years ? " " : "") + "(\u201c" + s.timeText + "\u201d)"; }
    return years;
  }
  function statementCard(i) {
    var s = statements[i];
    var card = el("article", "kg-statement kg-" + s.factuality + (statementShown[i] ? "" : " kg-filtered"));
    card.setAttribute("data-statement", String(i));
    var head = el("div", "kg-statement-head", s.subjectLabel + " \u2014 " + s.relation + " \u2192 " + s.objectLabel);
    if (s.polarity === "negated") { head.appendChild(el("span", "kg-badge kg-badge-negated", "negated")); }
    if (s.hedged) { head.appendChild(el("span", "kg-badge kg-badge-hedged", "hedged")); }
    if (s.disputed) { head.appendChild(el("span", "kg-badge kg-badge-disputed", "disputed between sources")); }
    if (!statementShown[i]) { head.appendChild(el("span", "kg-badge", "hidden by filters")); }
    card.appendChild(head);
    card.appendChild(facts([
      ["relation", s.relation],
      ["time", timeText(s)],
      ["kind", s.kind ? s.kind + (s.kindText ? " (\u201c" + s.kindText + "\u201d)" : "") : s.kindText],
      ["quantity", s.quantity !== null ? s.quantity + (s.unit ? " " + s.unit : "") : null],
      ["polarity", s.polarity],
      ["hedged", s.hedged ? "yes" : "no"],
      ["according to", s.attributedTo],
      ["confidence", s.confidence]
    ]));
    card.appendChild(el("blockquote", "kg-evidence", s.sentence));
    card.appendChild(el("div", "kg-source", s.source + ", characters " + s.charStart + "\u2013" + s.charEnd +
      (s.rule ? " \u00b7 rule " + s.rule : "")));
    return card;
  }
  function statementList(ids) {
    var list = el("div", "kg-statements");
    ids.forEach(function (i) { list.appendChild(statementCard(i)); });
    return list;
  }

  function showEntity(id) {
    var n = nodeById[id];
    if (!n) { return; }
    clearPanel();
    panel.appendChild(el("h2", null, n.label));
    var m = n.kgMeasures;
    panel.appendChild(facts([
      ["type", n.kgType], ["key", n.id], ["aliases", n.kgAliases.join(", ")],
      ["ISO code", n.kgIso], ["Wikidata", n.kgWikidata],
      ["statements", m.statements], ["partners", m.degree],
      ["PageRank", m.pagerank], ["betweenness", m.betweenness], ["community", n.kgCommunity]
    ]));
    var ids = statementsByEntity[id] || [];
    panel.appendChild(el("h3", null, ids.length + " statement" + (ids.length === 1 ? "" : "s")));
    panel.appendChild(statementList(ids));
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    clearPanel();
    panel.appendChild(el("h2", null, nodeById[e.from].label + " \u2014 " + e.label + " \u2192 " + nodeById[e.to].label));
    panel.appendChild(facts([["relation", e.kgRelation], ["factuality", e.kgFactuality]]));
    panel.appendChild(el("h3", null, e.kgStatements.length + " statement" + (e.kgStatements.length === 1 ? "" : "s")));
    panel.appendChild(statementList(e.kgStatements));
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showEntity(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  /* ---------- search ---------- */
  var names = byId("kg-entity-names");
  nodeList.slice().sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; })
    .forEach(function (n) { var option = el("option"); option.value = n.label; names.appendChild(option); });

  function findEntity(query) {
    var wanted = fold(query);
    if (!wanted) { return null; }
    var tiers = [
      function (n) { return fold(n.id) === wanted || fold(n.label) === wanted; },
      function (n) { return n.kgAliases.some(function (a) { return fold(a) === wanted; }); },
      function (n) { return fold(n.label).indexOf(wanted) === 0; },
      function (n) { return fold(n.label).indexOf(wanted) >= 0 ||
        n.kgAliases.some(function (a) { return fold(a).indexOf(wanted) >= 0; }); }
    ];
    for (var t = 0; t < tiers.length; t++) {
      var hits = nodeList.filter(tiers[t]);
      if (hits.length) {
        hits.sort(function (a, b) { return b.kgMeasures.statements - a.kgMeasures.statements; });
        return hits[0].id;
      }
    }
    return null;
  }
  function focusEntity(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showEntity(id);
  }
  byId("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = byId("kg-search").value;
    var id = findEntity(query);
    var message = byId("kg-search-message");
    if (id === null) { message.textContent = "no entity matches \u201c" + query + "\u201d"; return; }
    message.textContent = nodeById[id].hidden ? "hidden by the current filters" : "";
    focusEntity(id);
  });

  applyFilters();
  if (!nodeList.length) {
    clearPanel();
    panel.appendChild(el("p", "kg-hint", "This graph has no statements to show."));
  }
  // exposed for tests and for users who script the page from the console
  window.kgView = { network: network, nodes: nodes, edges: edges, findEntity: findEntity,
                    focusEntity: focusEntity, applyFilters: applyFilters };
})();
