/* Page behaviours every chapter shares, switched on by data attributes (no inline scripts: the
 * Content-Security-Policy forbids them). See README "Page conventions".
 *
 *   <form data-confirm="签发后……">            ask before a binding or destructive action
 *   <form data-protect>                        warn before leaving with unsaved input
 *   <a data-save-step="needs"> in a protected form's page: save the form, then go to that step
 *   <select multiple data-picker>              searchable checkbox list instead of Ctrl-click
 *   <select data-picker>                       a filter box above a long single select
 *   <input data-suggest="/api/…/" list="…">   names suggested from a JSON list as the user types
 *   <div class="table-responsive">, a table    focusable and named when it scrolls, so a keyboard can too
 */
(function () {
  "use strict";
  var body = document.body;
  var text = {
    ok: body.getAttribute("data-i18n-ok") || "确认",
    cancel: body.getAttribute("data-i18n-cancel") || "取消",
    search: body.getAttribute("data-i18n-search") || "输入姓名筛选",
    selected: body.getAttribute("data-i18n-selected") || "已选",
    unsaved: body.getAttribute("data-i18n-unsaved") || "有未保存的内容。"
  };

  /* ---- Confirmation of binding or destructive actions ---- */
  var dialog = null;
  function confirmDialog(message, okLabel, onOk) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "portal-confirm";
      dialog.setAttribute("aria-labelledby", "portal-confirm-text");
      dialog.innerHTML =
        '<form method="dialog"><p id="portal-confirm-text" class="mb-3"></p>' +
        '<div class="d-flex flex-wrap justify-content-end gap-2">' +
        '<button class="btn btn-outline-secondary" value="cancel" data-testid="confirm-cancel"></button>' +
        '<button class="btn btn-danger" value="ok" data-testid="confirm-ok"></button></div></form>';
      document.body.appendChild(dialog);
    }
    dialog.querySelector("#portal-confirm-text").textContent = message;
    dialog.querySelector('[value="cancel"]').textContent = text.cancel;
    dialog.querySelector('[value="ok"]').textContent = okLabel || text.ok;
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "ok") onOk();
    };
    dialog.showModal();
    dialog.querySelector('[value="cancel"]').focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!message || form.dataset.confirmed === "yes") return;
    event.preventDefault();
    var okLabel = (submitter && submitter.getAttribute("data-confirm-ok")) || form.getAttribute("data-confirm-ok");
    confirmDialog(message, okLabel, function () {
      form.dataset.confirmed = "yes";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    });
  }, true);

  /* ---- Unsaved-input protection ---- */
  function isDirty(form) {
    return form.dataset.dirty === "yes";
  }
  document.querySelectorAll("form[data-protect]").forEach(function (form) {
    var mark = function () { form.dataset.dirty = "yes"; };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { form.dataset.submitting = "yes"; });
  });
  window.addEventListener("beforeunload", function (event) {
    var dirty = Array.prototype.some.call(document.querySelectorAll("form[data-protect]"), function (form) {
      return isDirty(form) && form.dataset.submitting !== "yes";
    });
    if (dirty) {
      event.preventDefault();
      event.returnValue = text.unsaved;
      return text.unsaved;
    }
  });
  // Step links save the form first (the server then redirects to the chosen step), so moving
  // between steps never drops what was typed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-save-step]");
    if (!link) return;
    var form = document.getElementById(link.getAttribute("data-save-form") || "");
    if (!form || !isDirty(form)) return;
    event.preventDefault();
    var input = form.querySelector('input[name="goto"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "goto";
      form.appendChild(input);
    }
    input.value = link.getAttribute("data-save-step");
    form.dataset.submitting = "yes";
    form.submit();
  });

  /* ---- Searchable pickers ---- */
  var pickerCount = 0;
  function normalise(s) { return (s || "").toLowerCase().replace(/\s+/g, ""); }
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    pickerCount += 1;
    var id = "picker-" + pickerCount;
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "form-control form-control-sm mb-1";
    filter.placeholder = select.getAttribute("data-picker-placeholder") || text.search;
    filter.setAttribute("aria-label", filter.placeholder);
    filter.setAttribute("aria-controls", id);
    filter.setAttribute("data-testid", "picker-filter");
    select.parentNode.insertBefore(filter, select);
    if (!select.multiple) {
      // A single select stays native (keyboard and screen readers know it); the box hides options.
      select.id = select.id || id;
      filter.addEventListener("input", function () {
        var q = normalise(filter.value);
        Array.prototype.forEach.call(select.options, function (option) {
          option.hidden = option.value !== "" && q !== "" && normalise(option.text).indexOf(q) < 0;
        });
      });
      return;
    }
    var list = document.createElement("div");
    list.className = "portal-picker border rounded p-2";
    list.id = id;
    list.setAttribute("role", "group");
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.id = label.id || id + "-label";
      list.setAttribute("aria-labelledby", label.id);
      label.setAttribute("for", id + "-filter");
      filter.id = id + "-filter";
    }
    Array.prototype.forEach.call(select.options, function (option, index) {
      var row = document.createElement("div");
      row.className = "form-check";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.id = id + "-" + index;
      box.checked = option.selected;
      box.addEventListener("change", function () {
        option.selected = box.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      var text_ = document.createElement("label");
      text_.className = "form-check-label";
      text_.htmlFor = box.id;
      text_.textContent = option.text;
      row.appendChild(box);
      row.appendChild(text_);
      row.setAttribute("data-search", normalise(option.text));
      list.appendChild(row);
    });
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(list, select.nextSibling);
    filter.addEventListener("input", function () {
      var q = normalise(filter.value);
      list.querySelectorAll(".form-check").forEach(function (row) {
        var box = row.querySelector("input");
        row.hidden = q !== "" && !box.checked && row.getAttribute("data-search").indexOf(q) < 0;
      });
    });
  });

  /* ---- Text boxes that suggest names from the API (OrganizationSearchField): at most ten at a time,
   * asked for 250 ms after the last keystroke, so a list of thousands never reaches the page ---- */
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var options = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!options || !window.fetch) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!q || q === asked) return;
        asked = q;
        var url = input.getAttribute("data-suggest") + "?page_size=10&ordering=name&q=" + encodeURIComponent(q);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (asked !== q) return;  // a later keystroke asked again
            options.replaceChildren.apply(options, (data.results || []).map(function (row) {
              var option = document.createElement("option");
              option.value = row.name;
              return option;
            }));
          })
          .catch(function () { /* no suggestions: the box still filters by what was typed */ });
      }, 250);
    });
  });

  /* ---- Tables: label each cell so `.table-cards` can show rows as cards on phones ---- */
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
      });
    });
  });
  /* ---- a table wider than the screen scrolls (in its .table-responsive box, or itself at phone width,
   * see portal.css): keyboard users must be able to reach and scroll it too (WCAG 2.1.1), so whatever
   * scrolls takes focus and is named. A table keeps its own role; a box becomes a named region ---- */
  document.querySelectorAll(".table-responsive, main table.table").forEach(function (box) {
    var table = box.tagName === "TABLE" ? box : box.querySelector("table");
    if (box.hasAttribute("tabindex") || getComputedStyle(box).overflowX !== "auto") return;
    var caption = table && table.querySelector("caption");
    var heading = caption ? caption.textContent : (document.querySelector("h1") || {}).textContent;
    box.setAttribute("tabindex", "0");
    if (box !== table) box.setAttribute("role", "region");
    if (heading) box.setAttribute("aria-label", heading.trim());
  });
  /* ---- <select data-autosubmit> in a filter bar submits its form when changed ---- */
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
})();
