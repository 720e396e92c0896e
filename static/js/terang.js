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

// The error summary (templates/_form_errors.html) takes the focus when the page opens, so a
// screen reader reads what went wrong first; its links open a closed <details> around the
// field they point to and put the cursor in it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  for (var node = field.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
  }
  field.scrollIntoView({ block: "center" });
  field.focus();
});

// Fields that apply only to some answers: an input marked data-show-if="name" (a checkbox
// that must be ticked) or data-show-if="name=value" (a radio that must be chosen) is shown,
// with its label and help, only then. Without JavaScript every field shows and the server
// ignores the ones that do not apply.
function terangConditionalFields(root) {
  root.querySelectorAll("[data-show-if]").forEach(function (input) {
    var form = input.form;
    if (!form || input.dataset.showIfBound) return;
    input.dataset.showIfBound = "1";
    var rule = input.getAttribute("data-show-if").split("=");
    var update = function () {
      var control = form.elements[rule[0]];
      if (!control) return;
      var shown = rule.length > 1 ? control.value === rule[1] : control.checked;
      input.parentElement.hidden = !shown;
    };
    form.addEventListener("change", update);
    update();
  });
}
document.addEventListener("DOMContentLoaded", function () { terangConditionalFields(document); });
document.addEventListener("htmx:load", function (event) { terangConditionalFields(event.detail.elt); });

// After an upload htmx swaps the requirement list: the row just updated takes the focus
// (data-focus-after-swap) and the live region beside the list reads the result.
document.addEventListener("htmx:afterSettle", function () {
  var row = document.querySelector("[data-focus-after-swap]");
  if (!row) return;
  row.removeAttribute("data-focus-after-swap");
  row.focus();
});

// A code shown once has a copy button (data-copy="id of the element holding the code").
// Without the clipboard API the code is selected, for the person to copy it themselves.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("data-copy-status"));
  if (!source) return;
  var text = source.textContent.trim();
  var select = function () {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (status) status.textContent = button.getAttribute("data-copy-selected");
  };
  if (!navigator.clipboard || !window.isSecureContext) { select(); return; }
  navigator.clipboard.writeText(text).then(function () {
    if (status) status.textContent = button.getAttribute("data-copy-done");
  }, select);
});

// The permit's details (permits/details/_fields.html). An address's desa/kelurahan list
// shows only the chosen kecamatan's; a list of rows gets one more empty row on request; a
// map point may take the phone's location. Without JavaScript: every desa shows (the server
// checks it belongs to the kecamatan), saving adds empty rows, the point is typed.
function terangDetails(root) {
  root.querySelectorAll("[data-desa-filter]").forEach(function (select) {
    if (select.dataset.bound) return;
    select.dataset.bound = "1";
    var desa = document.getElementById(select.getAttribute("data-desa-filter"));
    var update = function () {
      desa.querySelectorAll("optgroup").forEach(function (group) {
        var shown = !select.value || group.getAttribute("data-kecamatan") === select.value;
        group.hidden = !shown;
        group.disabled = !shown;
      });
      var chosen = desa.selectedOptions[0];
      if (chosen && chosen.parentElement.disabled) desa.value = "";
    };
    select.addEventListener("change", update);
    update();
  });
  root.querySelectorAll("[data-add-row]").forEach(function (button) {
    if (button.dataset.bound) return;
    button.dataset.bound = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      var fieldset = document.getElementById(button.getAttribute("data-add-row"));
      var body = fieldset.querySelector("tbody");
      var count = fieldset.querySelector("input[name$='-count']");
      var last = body.lastElementChild;
      var n = parseInt(count.value, 10);
      var row = last.cloneNode(true);
      row.querySelector("th").textContent = String(n + 1);
      row.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.name = input.name.replace(/-(\d+)-([a-z0-9_]+)$/, "-" + n + "-$2");
        input.id = input.id.replace(/-(\d+)-([a-z0-9_]+)$/, "-" + n + "-$2");
        input.value = "";
      });
      body.appendChild(row);
      count.value = String(n + 1);
      row.querySelector("input, select, textarea").focus();
    });
  });
  root.querySelectorAll("[data-locate]").forEach(function (button) {
    if (button.dataset.bound || !navigator.geolocation) return;
    button.dataset.bound = "1";
    button.hidden = false;
    var id = button.getAttribute("data-locate");
    var status = document.querySelector("[data-locate-status='" + id + "']");
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-locating") || "…";
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = document.getElementById(id + "-lat");
        lat.value = position.coords.latitude.toFixed(6);
        document.getElementById(id + "-lon").value = position.coords.longitude.toFixed(6);
        status.textContent = "";
        lat.dispatchEvent(new Event("change", { bubbles: true }));
      }, function () {
        status.textContent = button.getAttribute("data-locate-failed") || "";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { terangDetails(document); });
document.addEventListener("htmx:load", function (event) { terangDetails(event.detail.elt); });

// An autosave that held answers with its status line only (the form stays as typed); every
// field then holds, so the messages of an earlier failed save leave the form.
document.addEventListener("htmx:load", function (event) {
  var status = event.detail.elt;
  if (!status.hasAttribute || !status.hasAttribute("data-clears-errors")) return;
  var form = status.closest("form");
  if (!form) return;
  form.querySelectorAll(".errorlist").forEach(function (node) { node.remove(); });
  form.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
  form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
});
