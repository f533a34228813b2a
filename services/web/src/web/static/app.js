// The console's own script: small on purpose. Pages work through htmx attributes.
document.addEventListener("htmx:sseMessage", function (e) {
  if (e.detail && e.detail.type === "expired") { window.location.href = "/login?next=" + encodeURIComponent(location.pathname); }
});
// A dropped notification older than a minute goes away on its own.
document.addEventListener("htmx:sseMessage", function () {
  var box = document.getElementById("notifications");
  if (!box) return;
  while (box.children.length > 5) box.removeChild(box.lastElementChild);
});
// A wide table scrolls sideways on a phone: its wrapper takes keyboard focus so it can be scrolled without a mouse.
function focusableScrollers(root) {
  (root || document).querySelectorAll(".table-wrap:not([tabindex])").forEach(function (el) { el.setAttribute("tabindex", "0"); });
}
document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
document.addEventListener("htmx:load", function (e) { focusableScrollers(e.target.parentNode || document); });
