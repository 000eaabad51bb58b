// The network map: Cytoscape.js with the fCoSE layout (groups drawn as boxes around their members),
// dots coloured by tier (the colours are app.css's --tier-N), names written only for the people
// /network.json names; anyone else's name on hover or tap. Zoom and pan with the wheel, a drag or
// the buttons; the search box centres on a person (fetching them when they are not drawn yet).
(function () {
  "use strict";
  var cy = null;
  var LABEL_PX = 13; // names and group labels keep this size on screen as the map zooms out...
  var GROUP_PX = 15;
  // ...down to these zooms; further out (a big map on a small screen) they shrink with the map, or
  // the names would crowd out the dots, and names smaller than MIN_PX are not drawn: zoom in.
  var NAME_ZOOM = 0.45;
  var GROUP_ZOOM = 0.3;
  var MIN_PX = 7;

  function $(id) { return document.getElementById(id); }
  function status(text) { $("network-status").textContent = text; }

  function tierColours() {
    var css = getComputedStyle(document.documentElement);
    var out = {};
    for (var t = 0; t <= 5; t++) { out[t] = css.getPropertyValue("--tier-" + t).trim() || "#8a94a3"; }
    return out;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function style(colours) {
    return [
      { selector: "node[kind = 'person']", style: {
        "label": "data(label)", "width": "mapData(strength, 0, 100, 9, 24)", "height": "mapData(strength, 0, 100, 9, 24)",
        "background-color": function (n) { return colours[n.data("tier")] || colours[5]; },
        "border-width": 1, "border-color": "#ffffff", "color": "#1d2430", "font-size": LABEL_PX, "font-weight": "bold",
        "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#ffffff", "text-background-opacity": 0.85,
        "text-background-padding": 2, "text-background-shape": "roundrectangle", "min-zoomed-font-size": MIN_PX } },
      { selector: "node[kind = 'you']", style: {
        "label": "data(label)", "width": 28, "height": 28, "background-color": colours[0], "color": "#1d2430",
        "font-size": LABEL_PX + 2, "font-weight": "bold", "text-valign": "center", "text-halign": "right", "text-margin-x": 5,
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2 } },
      { selector: "node[kind = 'group']", style: {
        "shape": "round-rectangle", "background-color": "#eef2f7", "background-opacity": 0.55, "border-width": 1,
        "border-color": "#b7c0cc", "padding": 14, "label": "data(label)", "text-valign": "top", "text-halign": "center",
        "text-margin-y": -4, "font-size": GROUP_PX, "font-weight": "bold", "color": "#33404f",
        "text-background-color": "#fbfbfa", "text-background-opacity": 0.9, "text-background-padding": 2 } },
      { selector: "#g-rest", style: { "border-style": "dashed", "background-opacity": 0.25, "color": "#556070" } },
      { selector: "edge[kind = 'knows']", style: {
        "width": "mapData(weight, 0, 1, 0.4, 3)", "line-color": "#8d99a8", "opacity": 0.35, "curve-style": "haystack" } },
      { selector: "edge[kind = 'you']", style: {
        "width": 1, "line-color": "#1d2430", "line-style": "dashed", "opacity": 0.5, "curve-style": "straight",
        "display": "none" } },
      { selector: "edge.across", style: { "opacity": 0.12 } },
      { selector: "edge.shown", style: { "display": "element", "opacity": 0.8 } },
      { selector: "node.label-above", style: { "text-valign": "top", "text-margin-y": -3 } },
      { selector: "node.label-right", style: { "text-valign": "center", "text-halign": "right", "text-margin-y": 0, "text-margin-x": 3 } },
      { selector: "node.label-left", style: { "text-valign": "center", "text-halign": "left", "text-margin-y": 0, "text-margin-x": -3 } },
      { selector: "node.hover", style: { "label": "data(name)", "z-index": 20 } },
      { selector: "node.focused", style: { "label": "data(name)", "border-width": 4, "border-color": "#f0b429", "z-index": 30 } },
      { selector: "node.near", style: { "label": "data(name)" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "edge.faded", style: { "opacity": 0.04 } },
      { selector: "node[kind = 'group'].faded", style: { "opacity": 0.35 } }
    ];
  }

  function insideEdges(group) {
    return group.children().connectedEdges("[kind = 'knows']").filter(function (e) {
      return e.source().parent().same(group) && e.target().parent().same(group);
    });
  }

  function layoutGroup(eles, first) {
    // Only the links inside a group shape it: links across groups would pull groups into each other.
    // Labels count as part of a dot, so names do not sit on one another.
    var fcose = typeof cytoscapeFcose !== "undefined";
    var options = fcose
      ? { name: "fcose", quality: first ? "draft" : "default", randomize: first, animate: false, fit: false,
          nodeDimensionsIncludeLabels: true, nodeRepulsion: function () { return 5500; },
          idealEdgeLength: function () { return 45; }, edgeElasticity: function () { return 0.45; },
          gravity: 0.6, numIter: 1500, packComponents: false }
      : { name: "cose", animate: false, fit: false, randomize: first, nodeDimensionsIncludeLabels: true,
          nodeRepulsion: 4500, idealEdgeLength: 50, numIter: 400 };
    // Without fCoSE (its files missing) the built-in cose still draws.
    eles.layout(options).run();
  }

  function layout() {
    // Each group on its own, then the groups packed in rows, largest first, to the map's shape;
    // the people in no group in a grid of their own box after them, and you above the top left corner. Labels keep
    // their size on screen, so they grow on the map as it zooms out to fit: a second pass lays
    // the groups out again with the labels at the size the first pass ended with.
    var groups = cy.nodes("[kind = 'group']").not("#g-rest");
    var loose = cy.getElementById("g-rest").children();
    var inside = cy.collection();
    groups.forEach(function (group) { inside = inside.union(insideEdges(group)); });
    cy.edges("[kind = 'knows']").not(inside).addClass("across");
    [true, false].forEach(function (first) {
      groups.forEach(function (group) { layoutGroup(group.children().union(insideEdges(group)), first); });
      if (loose.nonempty()) {
        var side = 30 * Math.ceil(Math.sqrt(loose.length));
        loose.layout({ name: "grid", fit: false, avoidOverlap: true, condense: true,
                       boundingBox: { x1: 0, y1: 0, w: side, h: side } }).run();
      }
      // Packing is cheap: again until the zoom (and so the labels' size on the map) settles.
      for (var round = 0; round < (first ? 1 : 2); round++) {
        pack(groups, loose);
        cy.fit(undefined, 24);
        sizeLabels();
      }
    });
    separateNames();
  }

  function separateNames() {
    // A name written over another goes above its dot, else to its right, else to its left.
    var places = ["", "label-above", "label-right", "label-left"];
    var boxes = [];
    function labelBox(node) { return node.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }); }
    function clashes(own) {
      return boxes.some(function (b) { return own.x1 < b.x2 && b.x1 < own.x2 && own.y1 < b.y2 && b.y1 < own.y2; });
    }
    cy.nodes("[kind = 'person'][label != '']").forEach(function (node) {
      var own = labelBox(node);
      for (var i = 1; i < places.length && clashes(own); i++) {
        node.removeClass(places.join(" ")).addClass(places[i]);
        own = labelBox(node);
      }
      if (clashes(own)) { node.removeClass(places.join(" ")); own = labelBox(node); }
      boxes.push(own);
    });
  }

  function shelves(blocks, width, gap) {
    // Blocks left to right, a new row when the next would pass `width`: each block's place, and
    // the size of the whole.
    var x = 0, y = 0, row = 0, used = 0;
    var places = blocks.map(function (b) {
      if (x > 0 && x + b.bb.w > width) { x = 0; y += row + gap; row = 0; }
      var at = { x: x, y: y };
      x += b.bb.w + gap;
      used = Math.max(used, x - gap);
      row = Math.max(row, b.bb.h);
      return at;
    });
    return { places: places, w: used, h: y + row };
  }

  function measure(group) {
    // A group's box from its members (a compound's own bounding box can lag behind their moves):
    // the box's padding around them, and its label above, as wide as the label needs.
    var bb = group.children().boundingBox({ includeLabels: true });
    var pad = 14;
    var font = GROUP_PX / Math.max(cy.zoom(), GROUP_ZOOM);
    var label = 0.66 * font * String(group.data("label")).length;
    var w = Math.max(bb.w + 2 * pad, label);
    var x1 = bb.x1 - pad - (w - bb.w - 2 * pad) / 2;
    var y1 = bb.y1 - pad - 1.6 * font;
    return { x1: x1, y1: y1, w: w, h: bb.y2 + pad - y1 };
  }

  function pack(groups, loose) {
    // Shelf packing, largest group first, at the row width that lets the map fit largest on screen.
    var box = $("network-map");
    var gap = 28;
    var blocks = groups.map(function (g) { return { move: g.children(), bb: measure(g) }; });
    if (loose.nonempty()) { blocks.push({ move: loose, bb: measure(cy.getElementById("g-rest")) }); }
    var widest = blocks.reduce(function (w, b) { return Math.max(w, b.bb.w); }, 0);
    var total = blocks.reduce(function (w, b) { return w + b.bb.w + gap; }, 0);
    var best = null, bestScale = 0;
    for (var step = 0; step <= 24; step++) {
      var tried = shelves(blocks, widest + (total - widest) * step / 24, gap);
      var scale = Math.min(box.clientWidth / Math.max(1, tried.w), box.clientHeight / Math.max(1, tried.h + 60));
      if (scale > bestScale) { best = tried; bestScale = scale; }
    }
    blocks.forEach(function (b, i) { b.move.shift({ x: best.places[i].x - b.bb.x1, y: best.places[i].y - b.bb.y1 }); });
    cy.getElementById("me").position({ x: 0, y: -50 });
  }

  function sizeLabels() {
    // Font sizes are in the map's units: divide by the zoom so labels stay LABEL_PX on screen.
    var z = cy.zoom();
    var names = Math.max(z, NAME_ZOOM);
    cy.style()
      .selector("node[kind = 'person']").style({ "font-size": LABEL_PX / names, "text-margin-y": 3 / z })
      .selector("node[kind = 'you']").style({ "font-size": (LABEL_PX + 2) / names })
      .selector("node[kind = 'group']").style({ "font-size": GROUP_PX / Math.max(z, GROUP_ZOOM) })
      .selector("node.label-above").style({ "text-margin-y": -3 / z })
      .selector("node.label-right").style({ "text-margin-x": 3 / z, "text-margin-y": 0 })
      .selector("node.label-left").style({ "text-margin-x": -3 / z, "text-margin-y": 0 })
      .selector("node.focused").style({ "border-width": 3 / z })
      .update();
  }

  var scaling = false;
  function keepLabelsReadable() {
    if (scaling || !cy) { return; }
    scaling = true;
    window.requestAnimationFrame(function () {
      scaling = false;
      if (cy) { sizeLabels(); }
    });
  }

  function describe(node) {
    var facts = [];
    if (node.data("company")) { facts.push(node.data("company")); }
    facts.push("tier " + node.data("tier") + " (" + (tierName(node.data("tier")) || "") + ")");
    facts.push("tie strength " + node.data("strength"));
    var links = node.data("links");
    facts.push(links === 1 ? "knows 1 person here" : "knows " + links + " people here");
    return facts.join(" · ");
  }

  function tierName(tier) {
    var option = document.querySelector("#n-tier option[value='" + tier + "']");
    return option ? option.textContent.replace(/^\d+\s*/, "") : "";
  }

  function showCard(node) {
    var card = $("network-card");
    var name = $("network-card-name");
    var roles = $("network-card-roles");
    roles.textContent = "";
    if (node.data("kind") === "group") {
      name.textContent = node.data("label");
      name.removeAttribute("href");
      $("network-card-facts").textContent = node.data("why") + ".";
    } else if (node.data("kind") === "you") {
      name.textContent = "You";
      name.removeAttribute("href");
      var inner = node.connectedEdges().length;
      $("network-card-facts").textContent = inner + " of the people here are in your inner circle (tiers 1 and 2): the dashed lines.";
    } else {
      name.textContent = node.data("name");
      name.setAttribute("href", node.data("href"));
      $("network-card-facts").textContent = describe(node);
      (node.data("roles") || []).forEach(function (role) {
        var li = document.createElement("li");
        li.textContent = role;
        roles.appendChild(li);
      });
    }
    card.hidden = false;
  }

  function clearFocus() {
    if (!cy) { return; }
    cy.elements().removeClass("faded focused shown near");
    $("network-card").hidden = true;
  }

  function focus(node, move) {
    // Fade everyone but the person, the people they know here (and you, for your inner circle).
    clearFocus();
    var near = node.closedNeighborhood().union(node.ancestors()).union(node.neighborhood().ancestors());
    cy.elements().not(near).addClass("faded");
    node.connectedEdges().addClass("shown");
    node.neighborhood("node").addClass("near");
    node.addClass("focused");
    showCard(node);
    if (move) {
      // Centre on them at a zoom where names read well: the pan for that zoom, worked out here.
      var zoomTo = Math.max(cy.zoom(), 1.4);
      var at = node.position();
      cy.stop(true);
      cy.animate({ zoom: zoomTo, pan: { x: cy.width() / 2 - at.x * zoomTo, y: cy.height() / 2 - at.y * zoomTo } },
                 { duration: 350 });
    }
    $("network-map").dataset.focus = node.id();
  }

  function findLoaded(text) {
    if (!cy) { return null; }
    var wanted = fold(text.replace(/^#/, ""));
    var people = cy.nodes("[kind = 'person']");
    if (/^#?\d+$/.test(text.trim())) { return people.filter(function (n) { return n.id() === "p" + wanted; })[0] || null; }
    var tests = [
      function (name) { return name === wanted; },
      function (name) { return name.indexOf(wanted) === 0; },
      function (name) { return name.indexOf(wanted) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var found = people.filter(function (n) { return tests[i](fold(n.data("name"))); });
      if (found.length === 1) { return found[0]; }
      if (found.length > 1) { return null; } // several match: the server says which, or that it is ambiguous
    }
    return null;
  }

  function fillNames(elements) {
    var list = $("n-names");
    list.textContent = "";
    elements.forEach(function (e) {
      if (e.data.kind === "person") {
        var option = document.createElement("option");
        option.value = e.data.name;
        list.appendChild(option);
      }
    });
  }

  function load(focusText) {
    var box = $("network-map");
    var params = new URLSearchParams();
    new FormData($("network-filters")).forEach(function (value, key) { if (value !== "") { params.append(key, value); } });
    if (focusText) { params.append("focus", focusText); }
    box.dataset.state = "loading";
    status("Drawing the map…");
    // As an HTMX request, an error comes back as a short fragment whose text says what went wrong.
    fetch(box.dataset.source + "?" + params.toString(), { headers: { Accept: "application/json", "HX-Request": "true" } })
      .then(function (r) {
        if (r.ok) { return r.json(); }
        return r.text().then(function (text) {
          var said = new DOMParser().parseFromString(text, "text/html").body.textContent.trim();
          throw new Error(said || "the network could not be loaded (" + r.status + ")");
        });
      })
      .then(function (data) { draw(box, data); })
      .catch(function (error) {
        box.dataset.state = "ready";
        status(typeof error.message === "string" ? error.message : String(error));
      });
  }

  function draw(box, data) {
    if (cy) { cy.destroy(); }
    cy = cytoscape({
      container: box, elements: data.elements, style: style(tierColours()),
      minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false
    });
    window.tielineNetwork = cy;
    layout();
    box.dataset.state = "ready";
    if (data.focus) { focus(cy.getElementById(data.focus), true); }
    cy.on("zoom", keepLabelsReadable);
    cy.on("mouseover", "node[kind = 'person']", function (e) { e.target.addClass("hover"); });
    cy.on("mouseout", "node[kind = 'person']", function (e) { e.target.removeClass("hover"); });
    cy.on("tap", "node[kind = 'person'], node[kind = 'you']", function (e) { focus(e.target, false); });
    cy.on("tap", "node[kind = 'group']", function (e) { showCard(e.target); });
    cy.on("dbltap", "node[kind = 'person']", function (e) { window.location.href = e.target.data("href"); });
    cy.on("tap", function (e) { if (e.target === cy) { clearFocus(); } });
    fillNames(data.elements);
    var groups = data.groups === 1 ? "1 group" : data.groups + " groups";
    status(data.people + " people in " + groups + ". Tap a dot for the person; double-tap to open their page.");
  }

  function zoom(how) {
    if (!cy) { return; }
    if (how === "fit") { cy.animate({ fit: { padding: 24 } }, { duration: 250 }); return; }
    var box = $("network-map");
    var factor = how === "in" ? 1.4 : 1 / 1.4;
    var level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.animate({ zoom: { level: level, renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } } }, { duration: 200 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!$("network-map")) { return; }
    load("");
    $("network-filters").addEventListener("change", function () { load(""); });
    $("network-search").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = $("n-focus").value.trim();
      if (!text) { clearFocus(); return; }
      var node = findLoaded(text);
      if (node) { focus(node, true); } else { load(text); }
    });
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () { zoom(button.dataset.zoom); });
    });
  });
})();
