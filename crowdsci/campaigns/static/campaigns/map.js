// The participant map: US states and territories from the vendored us-atlas (no tile server needed), regions
// shaded by participants, pins clustered by screen distance. The tables on the page hold the same data.
(function () {
  "use strict";
  const container = document.getElementById("participant-map");
  if (!container || typeof L === "undefined" || typeof topojson === "undefined") return;
  container.classList.add("map-ready");

  const map = L.map(container, { worldCopyJump: true, zoomSnap: 0.5 });
  map.fitBounds([[24, -125], [49.5, -66.5]]); // the contiguous states; Alaska, Hawaii and the territories pan in
  const shades = ["#f1f5f9", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  const clusterLayer = L.layerGroup().addTo(map);
  let pins = [];

  function shade(count, max) {
    if (!count) return shades[0];
    return shades[Math.min(shades.length - 1, 1 + Math.floor((count / Math.max(max, 1)) * (shades.length - 2)))];
  }

  function drawClusters() {
    clusterLayer.clearLayers();
    const cells = new Map();
    const size = 48; // pixels: pins closer than this on screen are one cluster
    pins.forEach((pin) => {
      const point = map.project([pin.lat, pin.lon], map.getZoom());
      const key = Math.floor(point.x / size) + ":" + Math.floor(point.y / size);
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(pin);
    });
    cells.forEach((group) => {
      const lat = group.reduce((sum, pin) => sum + pin.lat, 0) / group.length;
      const lon = group.reduce((sum, pin) => sum + pin.lon, 0) / group.length;
      const icon = L.divIcon({
        className: group.length > 1 ? "pin-cluster" : "pin-single",
        html: group.length > 1 ? String(group.length) : "",
        iconSize: group.length > 1 ? [34, 34] : [16, 16],
      });
      const marker = L.marker([lat, lon], { icon, keyboard: true, title: group.map((pin) => pin.place || "").join(", ") });
      const list = document.createElement("ul");
      list.className = "pin-popup";
      group.slice(0, 20).forEach((pin) => {
        const item = document.createElement("li");
        item.textContent = [pin.name, pin.place].filter(Boolean).join(" · ") || "·";
        list.appendChild(item);
      });
      marker.bindPopup(list);
      if (group.length > 1) marker.on("dblclick", () => map.setView([lat, lon], map.getZoom() + 2));
      clusterLayer.addLayer(marker);
    });
  }

  Promise.all([
    fetch(container.dataset.atlas).then((response) => response.json()),
    fetch(container.dataset.source, { headers: { Accept: "application/json" } }).then((response) => response.json()),
  ]).then(([atlas, data]) => {
    if (data.tile_url) {
      L.tileLayer(data.tile_url, { attribution: data.tile_attribution || "", maxZoom: 12 }).addTo(map);
    }
    const byRegion = new Map(data.regions.map((region) => [region.number, region]));
    const max = Math.max(0, ...data.regions.map((region) => region.participants));
    const states = topojson.feature(atlas, atlas.objects.states);
    L.geoJSON(states, {
      style: (feature) => {
        const region = byRegion.get(data.states[feature.properties.name]);
        return { color: "#4a5560", weight: 0.7, fillOpacity: data.tile_url ? 0.35 : 0.9,
                 fillColor: shade(region ? region.participants : 0, max) };
      },
      onEachFeature: (feature, layer) => {
        const region = byRegion.get(data.states[feature.properties.name]);
        if (region) {
          layer.bindTooltip(`${feature.properties.name} · ${region.name}: ${region.participants} ${container.dataset.labelParticipants}`);
        }
      },
    }).addTo(map);
    pins = data.pins;
    drawClusters();
  });
  map.on("zoomend", drawClusters);

  // Choosing a place: a click fills the form (already rounded, as the server will store it).
  const form = document.getElementById("pin-form");
  if (form) {
    let chosen = null;
    map.on("click", (event) => {
      const lat = Math.round(event.latlng.lat * 10) / 10;
      const lon = Math.round(L.Util.wrapNum(event.latlng.lng, [-180, 180], true) * 10) / 10;
      form.elements.latitude.value = lat.toFixed(1);
      form.elements.longitude.value = lon.toFixed(1);
      if (chosen) map.removeLayer(chosen);
      chosen = L.circleMarker([lat, lon], { radius: 8, color: "#8a3b12" }).addTo(map);
    });
  }
})();
