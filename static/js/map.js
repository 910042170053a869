/* The case map: Leaflet + markercluster over offline département outlines, optional tiles.
 * Configuration comes from the #map-config json_script; the table under the map is the accessible
 * equivalent, so this script only enhances the page. */
(function () {
  "use strict";
  var container = document.getElementById("map");
  var configNode = document.getElementById("map-config");
  if (!container || !configNode || typeof L === "undefined") { return; }
  var config = JSON.parse(configNode.textContent);
  var status = document.getElementById("map-status");

  L.Icon.Default.imagePath = config.iconPath;
  // markercluster needs a maxZoom on the map, which a tile layer would otherwise provide.
  var map = L.map(container, { maxZoom: 13, minZoom: 3, zoomSnap: 0.5 }).setView([46.6, 2.5], 5.5);
  container.tabIndex = 0;
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }

  var jumps = document.querySelector("[data-map-jumps]");
  if (jumps) {
    jumps.hidden = false;
    jumps.querySelectorAll("button").forEach(function (b) {
      b.addEventListener("click", function () {
        map.setView([parseFloat(b.getAttribute("data-lat")), parseFloat(b.getAttribute("data-lon"))],
                    parseFloat(b.getAttribute("data-zoom")));
      });
    });
  }

  function say(text) { if (status) { status.textContent = text; } }

  fetch(config.outlinesUrl, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      var outlines = L.geoJSON(data, {
        interactive: false,
        style: { color: "#6b7280", weight: 1, fill: true, fillColor: "#f3f4f7", fillOpacity: 0.6 }
      }).addTo(map);
      outlines.bringToBack();
    })
    .catch(function () { /* outlines are decoration: the markers and the table remain */ });

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function popupHtml(p) {
    var mode = p.highest_mode ? config.modes[p.highest_mode] : config.noMode;
    var precision = config.precisions[p.location_precision] || p.location_precision;
    var facts = [(p.tools === 1 ? config.toolsText[0] : config.toolsText[1]).replace("%(n)s", String(p.tools || 0))];
    if (p.theme && config.themes[p.theme]) { facts.push(config.themes[p.theme]); }
    if (p.year) { facts.push(config.yearText.replace("%(year)s", String(p.year))); }
    return "<p class=\"popup-title\"><strong>" + escapeHtml(p.name) + "</strong></p>" +
      "<p>" + escapeHtml(facts.join(" · ")) + "</p>" +
      "<p>" + escapeHtml(config.modeLabel) + " " + escapeHtml(mode) + "<br>" +
      escapeHtml(config.precisionLabel) + " " + escapeHtml(precision) + "</p>" +
      "<p><a href=\"" + escapeHtml(p.url) + "\">" + escapeHtml(config.profileLabel) +
      "<span class=\"visually-hidden\"> " + escapeHtml(p.name) + "</span></a></p>";
  }

  fetch(config.dataUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      // Clusters take the colour of the most frequent mode among their cases (the legend says so) and
      // a spoken name: "12 cases; most frequent mode: participative".
      var cluster = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 45,
        iconCreateFunction: function (group) {
          var counts = {};
          group.getAllChildMarkers().forEach(function (m) { counts[m.options.mode] = (counts[m.options.mode] || 0) + 1; });
          var top = "none";
          Object.keys(counts).forEach(function (k) { if (top === "none" || counts[k] > counts[top]) { top = k; } });
          var n = group.getChildCount();
          var label = config.clusterText.replace("%(n)s", String(n))
            .replace("%(mode)s", top === "none" ? config.noMode : config.modes[top]);
          var size = n < 10 ? 30 : n < 100 ? 36 : 44;
          return L.divIcon({
            className: "map-cluster mode-" + top, iconSize: [size, size],
            html: "<span aria-hidden=\"true\">" + n + "</span><span class=\"visually-hidden\">" + escapeHtml(label) + "</span>"
          });
        }
      });
      var markers = data.features.map(function (feature) {
        var p = feature.properties;
        var coords = feature.geometry.coordinates;
        var marker = L.marker([coords[1], coords[0]], {
          mode: p.highest_mode || "none",
          title: p.name,
          alt: p.name,
          keyboard: true,
          icon: L.divIcon({
            className: "map-marker mode-" + (p.highest_mode || "none"),
            iconSize: [18, 18],
            html: "<span class=\"visually-hidden\">" + escapeHtml(p.name) + "</span>"
          })
        });
        marker.bindPopup(popupHtml(p));
        return marker;
      });
      cluster.addLayers(markers);
      map.addLayer(cluster);
      // Fit the filtered cases; the overseas ones are reached with the "Go to" buttons, so that a
      // single case in La Réunion does not shrink metropolitan France to a dot.
      var metro = markers.filter(function (m) { var ll = m.getLatLng(); return ll.lat > 41 && ll.lat < 52 && ll.lng > -6 && ll.lng < 10; });
      var fit = metro.length ? metro : markers;
      if (fit.length) {
        map.fitBounds(L.latLngBounds(fit.map(function (m) { return m.getLatLng(); })), { padding: [48, 48], maxZoom: 9 });
      }
      say(config.countText.replace("%(n)s", String(markers.length)));
    })
    .catch(function () { say(config.errorText); });
})();
