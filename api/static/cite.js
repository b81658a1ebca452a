// The "Cite" control of the reader pages: opening it (not closing it) also copies the citation to the clipboard.
// Without this script the same control still opens and shows the citation as selectable text.
"use strict";

function citationText(details) {
  const data = details.dataset;
  const link = new URL(data.link, document.baseURI).href;
  return `“${data.quote}” — ${data.title}, ${data.version}. ${link}`;
}

document.addEventListener("click", (event) => {
  const summary = event.target.closest("details.cite > summary");
  if (!summary || !navigator.clipboard) {
    return;
  }
  const details = summary.parentElement;
  if (details.open) {
    return; // this click closes the citation: nothing to copy
  }
  const status = document.getElementById("cite-status");
  navigator.clipboard.writeText(citationText(details)).then(
    () => {
      details.classList.add("copied");
      status.textContent = "Citation copied to the clipboard.";
    },
    () => {
      status.textContent = "The citation could not be copied; select it below the Cite control.";
    },
  );
});
