// A form marked "once" (class="once" or data-once) submits once: its buttons are disabled
// after the first submit, so a double click cannot post twice (the server also refuses a
// stale post).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList) return;
  if (!form.classList.contains("once") && !form.hasAttribute("data-once")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});

// Upload progress: htmx reports the bytes sent; the form's <progress> shows them.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = event.target.querySelector && event.target.querySelector("progress");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});

// A confirmation before an act that cannot be undone (data-confirm on the form).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    delete form.dataset.sent;
  }
}, true);
