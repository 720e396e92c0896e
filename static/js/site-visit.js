// The site visit's photo form (data-geolocate): where the phone is and its clock, read when
// the page opens and again just before sending, go in the form's hidden fields. The server
// prefers what the photo itself says (EXIF); these are used when the photo says nothing.
(function () {
  function fill(form, position) {
    form.querySelector("[name=lat]").value = position.coords.latitude;
    form.querySelector("[name=lon]").value = position.coords.longitude;
    form.querySelector("[name=accuracy]").value = Math.round(position.coords.accuracy);
    form.querySelector("[name=fix_at]").value = new Date(position.timestamp).toISOString();
  }
  function locate(form) {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      function (position) { fill(form, position); },
      function () {
        var status = form.querySelector("[data-geolocate-status]");
        if (status) status.dataset.refused = "1";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-geolocate]").forEach(function (form) {
      locate(form);
      form.addEventListener("change", function () { locate(form); });
    });
  });
})();
