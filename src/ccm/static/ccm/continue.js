// A batch that goes on by itself (issuing invoices): a form marked data-continue is submitted
// once the page has loaded; without JavaScript, the person presses its button.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-continue]");
  if (form) { window.setTimeout(function () { form.requestSubmit(); }, 300); }
});
