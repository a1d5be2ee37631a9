// The Print button needs JavaScript, so it stays hidden until this script shows it;
// the Download PDF link beside it is a plain link and works without.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});

// Print every section open, whatever the reader had closed, and put them back afterwards.
var closedForPrint = [];
window.addEventListener("beforeprint", function () {
  closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
    d.open = true;
    return true;
  });
});
window.addEventListener("afterprint", function () {
  closedForPrint.forEach(function (d) { d.open = false; });
});
