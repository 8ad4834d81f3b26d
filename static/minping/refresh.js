/* Reloads a page its reader chose to follow live (?live=1), every data-seconds seconds; the page
   links back to itself without ?live=1 to stop. A script rather than <meta refresh>, which a
   reader cannot stop and assistive technology announces as a new page (WCAG 2.2.1). */
(function () {
  var script = document.currentScript;
  var seconds = parseInt(script && script.getAttribute("data-seconds"), 10);
  if (seconds > 0) {
    setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
