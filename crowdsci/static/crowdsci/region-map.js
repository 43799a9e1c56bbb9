// Small maps of regions, drawn as SVG from the vendored us-atlas states (topojson-client turns them into GeoJSON).
// Markup: <div class="region-map" data-atlas="…/states-10m.json" data-states="AL,FL,…"></div>; the states of
// the region are filled, their neighbours drawn in grey for context. The map only illustrates the list of states
// printed beside it, so it is hidden from screen readers. No inline script or style (Content-Security-Policy).
(() => {
  "use strict";
  const FIPS = {
    AL: "01", AK: "02", AZ: "04", AR: "05", CA: "06", CO: "08", CT: "09", DE: "10", DC: "11", FL: "12", GA: "13",
    HI: "15", ID: "16", IL: "17", IN: "18", IA: "19", KS: "20", KY: "21", LA: "22", ME: "23", MD: "24", MA: "25",
    MI: "26", MN: "27", MS: "28", MO: "29", MT: "30", NE: "31", NV: "32", NH: "33", NJ: "34", NM: "35", NY: "36",
    NC: "37", ND: "38", OH: "39", OK: "40", OR: "41", PA: "42", RI: "44", SC: "45", SD: "46", TN: "47", TX: "48",
    UT: "49", VT: "50", VA: "51", WA: "53", WV: "54", WI: "55", WY: "56", AS: "60", GU: "66", MP: "69", PR: "72",
    VI: "78",
  };
  const SVG = "http://www.w3.org/2000/svg";

  // The Aleutians and the western Pacific territories lie east of the antimeridian: keep them west of Alaska.
  const lon = (x) => (x > 0 ? x - 360 : x);

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return geometry.coordinates;
    if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
    return [];
  }

  function draw(container, features) {
    const codes = (container.dataset.states || "").split(",").filter(Boolean);
    const wanted = new Set(codes.map((code) => FIPS[code]).filter(Boolean));
    const chosen = features.filter((feature) => wanted.has(feature.id));
    if (!chosen.length) return;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const feature of chosen) {
      for (const ring of rings(feature.geometry)) {
        for (const [x, y] of ring) {
          minX = Math.min(minX, lon(x)); maxX = Math.max(maxX, lon(x));
          minY = Math.min(minY, y); maxY = Math.max(maxY, y);
        }
      }
    }
    const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);  // equal-ish areas at the region's latitude
    const pad = Math.max((maxX - minX) * k, maxY - minY) * 0.06 + 0.2;
    const box = [minX * k - pad, -maxY - pad, (maxX - minX) * k + 2 * pad, maxY - minY + 2 * pad];
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", box.map((n) => n.toFixed(3)).join(" "));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const stroke = (box[2] + box[3]) / 900;
    for (const feature of features) {
      const d = rings(feature.geometry)
        .map((ring) => "M" + ring.map(([x, y]) => `${(lon(x) * k).toFixed(3)},${(-y).toFixed(3)}`).join("L") + "Z")
        .join("");
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      path.setAttribute("class", wanted.has(feature.id) ? "region-map-in" : "region-map-out");
      path.setAttribute("stroke-width", stroke.toFixed(4));
      svg.appendChild(path);
    }
    container.appendChild(svg);
    container.classList.add("region-map-drawn");
  }

  document.addEventListener("DOMContentLoaded", () => {
    const containers = document.querySelectorAll(".region-map[data-atlas]");
    if (!containers.length || typeof topojson === "undefined") return;
    fetch(containers[0].dataset.atlas)
      .then((response) => response.json())
      .then((topology) => {
        const features = topojson.feature(topology, topology.objects.states).features;
        containers.forEach((container) => draw(container, features));
      })
      .catch(() => {});  // no map, the list of states stays
  });
})();
