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
