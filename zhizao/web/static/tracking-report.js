// zhizao progress report form: show an error answer above the button; clear the form after a success.
(function () {
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status < 400 || status === 401) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = document.getElementById("report-error");
    event.detail.swapOverride = "innerHTML";
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = document.getElementById("report-form");
    if (event.detail.elt !== form || !event.detail.successful) return;
    form.reset();
    document.getElementById("report-error").innerHTML = "";
  });
})();
