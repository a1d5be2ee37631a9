// The Print button needs JavaScript, so it stays hidden until this script shows it;
// the Download PDF link beside it is a plain link and works without.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
