// Live preview of the GB/T 22240-2020 matrix: the server recomputes and refuses a level the answers don't support.
(function () {
  const form = document.getElementById("grading-form");
  if (!form) return;
  const matrix = {};
  document.querySelectorAll("[data-testid=matrix] td[data-level]").forEach(function (td) {
    matrix[td.dataset.object + "/" + td.dataset.degree] = td;
  });
  function value(name) {
    const checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }
  function cell(prefix) {
    return matrix[value(prefix + "_harm_object") + "/" + value(prefix + "_harm_degree")];
  }
  function update() {
    Object.values(matrix).forEach(function (td) { td.classList.remove("table-danger", "table-warning", "fw-bold"); });
    const b = cell("business"), s = cell("service");
    if (b) b.classList.add("table-warning", "fw-bold");
    if (s) s.classList.add("table-danger", "fw-bold");
    document.getElementById("business-level").textContent = b ? b.dataset.level : "—";
    document.getElementById("service-level").textContent = s ? s.dataset.level : "—";
    document.getElementById("computed-level").textContent =
      b && s ? String(Math.max(Number(b.dataset.level), Number(s.dataset.level))) : "—";
  }
  form.addEventListener("change", update);
  update();
})();
