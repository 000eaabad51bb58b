// The network map: Cytoscape.js, coloured by tier; clicking a person opens their page.
(function () {
  "use strict";
  var colours = { 0: "#1d2430", 1: "#b3261e", 2: "#e07a10", 3: "#1f5fa8", 4: "#26734d", 5: "#8a94a3" };
  var cy = null;
  function load() {
    var box = document.getElementById("network-map");
    var form = document.getElementById("network-filters");
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") { params.append(key, value); } });
    fetch(box.dataset.source + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("the network could not be loaded (" + r.status + ")"); }
        return r.json();
      })
      .then(function (data) {
        if (cy) { cy.destroy(); }
        cy = cytoscape({
          container: box,
          elements: data.elements,
          wheelSensitivity: 0.3,
          style: [
            { selector: "node", style: { "label": "data(label)", "font-size": 9, "width": 14, "height": 14,
              "background-color": function (n) { return colours[n.data("tier")] || "#999"; } } },
            { selector: "node[id = 'me']", style: { "width": 28, "height": 28, "font-size": 12 } },
            { selector: "edge", style: { "width": function (e) { return Math.max(0.5, Math.min(4, (e.data("weight") || 1) / 25)); },
              "line-color": "#c5ccd6", "curve-style": "haystack", "opacity": 0.7 } }
          ],
          layout: { name: "cose", animate: false, nodeRepulsion: 4500, idealEdgeLength: 60, numIter: 600 }
        });
        cy.on("tap", "node", function (event) {
          var href = event.target.data("href");
          if (href) { window.location.href = href; }
        });
        window.tielineNetwork = cy;
        var people = data.elements.filter(function (e) { return !e.data.source; }).length - 1;
        document.getElementById("network-status").textContent = people + " people shown";
      })
      .catch(function (error) { document.getElementById("network-status").textContent = error.message; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    load();
    document.getElementById("network-filters").addEventListener("change", load);
  });
})();
