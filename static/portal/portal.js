// Behaviour for every page, loaded from a static file: the Content-Security-Policy allows no inline
// script or event handler attribute (onchange=..., onclick=...). Mark elements with data attributes instead.
(function () {
  "use strict";
  // <select data-autosubmit> submits its form when changed (language switch, status filters).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  // <button data-confirm="..."> asks before submitting.
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
