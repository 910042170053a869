// Small locator map of a territory page: its département outline (offline, no tile server) and its point.
(function () {
  "use strict";
  var container = document.getElementById("territory-map");
  var source = document.getElementById("territory-map-data");
  if (!container || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var map = L.map(container, { zoomControl: true, attributionControl: true, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("IGN ADMIN EXPRESS — Licence Ouverte 2.0");
  var point = L.latLng(data.point[0], data.point[1]);
  if (data.outline) {
    var outline = L.geoJSON(data.outline, {
      style: { color: "#1d3f8f", weight: 2, fillColor: "#dfe6f5", fillOpacity: 0.6 },
      interactive: false
    }).addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [8, 8] });
  } else {
    map.setView(point, 9);
  }
  L.circleMarker(point, { radius: 7, color: "#ffffff", weight: 2, fillColor: "#b34700", fillOpacity: 1 })
    .bindTooltip(data.name)
    .addTo(map);
})();
