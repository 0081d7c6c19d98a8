// zhizao plan review: link each reviewed item to its source span, and show a 400 answer in the item.
(function () {
  function show(key, scroll) {
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
    var marks = document.querySelectorAll('#source [data-items~="' + key + '"]');
    marks.forEach(function (el) { el.classList.add("is-current"); });
    var card = document.querySelector('.item[data-item="' + key + '"]');
    if (card) card.classList.add("is-current");
    if (scroll && marks.length) marks[0].scrollIntoView({block: "center", behavior: "smooth"});
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".show-source");
    if (button) { show(button.dataset.item, true); return; }
    var mark = event.target.closest("#source .src");
    if (mark) {
      var keys = mark.dataset.items.split(" ");
      var key = keys[keys.length - 1];
      show(key, false);
      var card = document.querySelector('.item[data-item="' + key + '"]');
      if (card) card.scrollIntoView({block: "center", behavior: "smooth"});
    }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status !== 400) return;
    var item = event.detail.requestConfig.elt.closest(".item");
    var slot = item && item.querySelector(".item-error");
    if (!slot) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = slot;
    event.detail.swapOverride = "innerHTML";
  });
})();
