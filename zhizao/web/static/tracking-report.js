// zhizao progress report form: an answer the server refuses (a bad attachment, a missing field, a report
// that would reopen a completed task) is shown above the button and the form keeps what the user typed;
// only a success clears the form.
(function () {
  function isReportForm(event) {
    // beforeSwap fires on the swap target, so ask the request which element sent it
    var config = event.detail.requestConfig;
    var sender = config ? config.elt : event.detail.elt;
    return sender === document.getElementById("report-form");
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!isReportForm(event)) return;
    var status = event.detail.xhr.status;
    if (status < 400 || status === 401) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = document.getElementById("report-error");
    event.detail.swapOverride = "innerHTML";
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!isReportForm(event)) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    // (the beforeSwap above marks a refusal as no error so that it is swapped in: look at the status)
    if (status < 200 || status >= 400) return;
    document.getElementById("report-form").reset();
    document.getElementById("report-error").innerHTML = "";
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (!isReportForm(event)) return;
    document.getElementById("report-error").textContent = "网络连接失败，未能提交；填写的内容已保留，请稍后重试。";
  });
})();
