// Print buttons (data-print): a static handler instead of onclick="", which the Content-Security-Policy (script-src
// 'self', no inline script) refuses.
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.addEventListener('click', function () { window.print(); });
});
