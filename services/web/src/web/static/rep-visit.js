// Check-in location from the browser's geolocation into the visit form's fields;
// the fields stay editable, so a rep without location access types them.
document.addEventListener("click", function (e) {
  var button = e.target.closest("[data-locate]");
  if (!button) return;
  var box = button.closest("[data-checkin]");
  var status = box.querySelector("[data-locate-status]");
  function say(text) { status.textContent = text; }
  if (!navigator.geolocation) { say(box.dataset.unavailable || "Location is not available: type the coordinates."); return; }
  say(box.dataset.locating || "Locating…");
  navigator.geolocation.getCurrentPosition(function (pos) {
    box.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
    box.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
    box.querySelector("[name=accuracy]").value = Math.round(pos.coords.accuracy);
    say(box.dataset.located || "Location filled in.");
  }, function (err) {
    say((box.dataset.failed || "Could not get the location: type the coordinates.") + " (" + err.message + ")");
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
});
