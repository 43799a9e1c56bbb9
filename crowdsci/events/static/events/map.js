// Maps without a tile server: the US states from the vendored us-atlas TopoJSON as the base layer, drawn by Leaflet.
// Two uses: the public events map (markers from the map data URL, and each state's count), and the location
// picker on the event form (a click fills the latitude and longitude fields).
(function () {
  "use strict";

  function baseMap(element, statesUrl, onStates) {
    const map = L.map(element, { zoomSnap: 0.25, attributionControl: false, worldCopyJump: false });
    map.setView([38, -96], 3.5);
    fetch(statesUrl)
      .then((response) => response.json())
      .then((topology) => {
        const states = topojson.feature(topology, topology.objects.states);
        const layer = L.geoJSON(states, {
          style: { color: "#5b6675", weight: 1, fillColor: "#ffffff", fillOpacity: 1 },
        }).addTo(map);
        layer.bringToBack();
        if (onStates) {
          onStates(layer);
        }
      });
    return map;
  }

  function eventsMap(element) {
    const status = document.getElementById("events-map-status");
    const map = baseMap(element, element.dataset.statesUrl);
    fetch(element.dataset.eventsUrl, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((data) => {
        const markers = [];
        data.events.forEach((item) => {
          const marker = L.circleMarker([item.lat, item.lon], {
            radius: 7, color: item.cancelled ? "#8a1c1c" : "#1a4f8b", weight: 2, fillOpacity: 0.8,
          });
          const popup = document.createElement("div");
          popup.className = "event-popup";
          const link = document.createElement("a");
          link.href = item.url;
          link.textContent = item.title;
          popup.appendChild(link);
          const when = document.createElement("p");
          when.textContent = new Date(item.start).toLocaleString(document.documentElement.lang, {
            dateStyle: "medium", timeStyle: "short", timeZone: item.zone,
          }) + " · " + item.place + (item.cancelled ? " · " + element.dataset.textCancelled : "");
          popup.appendChild(when);
          marker.bindPopup(popup);
          marker.bindTooltip(item.title);
          marker.addTo(map);
          markers.push(marker);
        });
        if (markers.length) {
          map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 8 });
        }
        if (!data.events.length) {
          status.textContent = element.dataset.textNone;
        } else if (data.total > data.events.length) {
          status.textContent = element.dataset.textMore
            .replace("%(shown)s", data.events.length).replace("%(total)s", data.total);
        } else {
          status.textContent = data.total + " " + element.dataset.textEvents;
        }
        element.dataset.loaded = String(data.events.length);
      });
  }

  function picker(element) {
    const latitude = document.getElementById("id_latitude");
    const longitude = document.getElementById("id_longitude");
    if (!latitude || !longitude) {
      return;
    }
    const map = baseMap(element, element.dataset.statesUrl);
    const form = element.closest("form");
    const clear = form ? form.querySelector("[data-picker-clear]") : null;
    let marker = null;
    // Where the directory places the event while no point is picked: drawn hollow and dashed, for reference.
    if (element.dataset.directoryLat && element.dataset.directoryLon) {
      const spot = [Number(element.dataset.directoryLat), Number(element.dataset.directoryLon)];
      L.circleMarker(spot, { radius: 8, color: "#5b6675", dashArray: "3 3", fillOpacity: 0 })
        .bindTooltip(element.dataset.textDirectory || "")
        .addTo(map);
      map.setView(spot, 6);
    }
    function place(lat, lon) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.circleMarker([lat, lon], { radius: 8, color: "#1a4f8b" }).addTo(map);
      }
      element.dataset.picked = lat.toFixed(6) + "," + lon.toFixed(6);
      if (clear) {
        clear.hidden = false;
      }
    }
    if (latitude.value && longitude.value) {
      place(Number(latitude.value), Number(longitude.value));
      map.setView([Number(latitude.value), Number(longitude.value)], 6);
    }
    map.on("click", (event) => {
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng);
    });
    // Coordinates typed into the fields move the marker too (the keyboard's way to place it).
    [latitude, longitude].forEach((input) => input.addEventListener("change", () => {
      const lat = Number.parseFloat(latitude.value);
      const lon = Number.parseFloat(longitude.value);
      if (Number.isFinite(lat) && Number.isFinite(lon)) {
        place(lat, lon);
      }
    }));
    if (clear) {
      // Back to the directory's place: the service finds it again when the form is saved.
      clear.addEventListener("click", () => {
        latitude.value = "";
        longitude.value = "";
        if (marker) {
          marker.remove();
          marker = null;
        }
        delete element.dataset.picked;
        clear.hidden = true;
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const events = document.getElementById("events-map");
    if (events) {
      eventsMap(events);
    }
    document.querySelectorAll("[data-picker]").forEach(picker);
  });
})();
