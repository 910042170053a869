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
    return "<p class=\"popup-title\"><strong>" + escapeHtml(p.name) + "</strong></p>" +
      "<p>" + escapeHtml(config.modeLabel) + " " + escapeHtml(mode) + "<br>" +
      escapeHtml(config.precisionLabel) + " " + escapeHtml(precision) + "</p>" +
      "<p><a href=\"" + escapeHtml(p.url) + "\">" + escapeHtml(config.profileLabel) +
      "<span class=\"visually-hidden\"> " + escapeHtml(p.name) + "</span></a></p>";
  }

  fetch(config.dataUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
      var markers = data.features.map(function (feature) {
        var p = feature.properties;
        var coords = feature.geometry.coordinates;
        var marker = L.marker([coords[1], coords[0]], {
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
      say(config.countText.replace("%(n)s", String(markers.length)));
    })
    .catch(function () { say(config.errorText); });
})();
