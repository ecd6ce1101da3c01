// The language of the record, as you type: advice under each free-text field.
//
// A textarea marked data-language-url (the check's address) and data-language-profile
// (the discussion's procedure) is followed by a region "<id>-language" that the page
// fills with the flags of what was saved (web/language.html, checked_textarea). After a pause in typing, the field's
// text is posted to the language check and the region shows the flags of what is typed
// now. The advice never blocks anything; if the check cannot answer, the region is left as
// it is and the flags show when the page is saved. It is a static file, so it runs under
// the site's Content Security Policy.

const PAUSE_MS = 600;

function csrfToken(form) {
  const input = form.querySelector('input[name="csrfmiddlewaretoken"]');
  return input ? input.value : "";
}

function watch(textarea, region) {
  let timer = null;
  let asked = 0;

  async function check() {
    asked += 1;
    const mine = asked;
    const body = new FormData();
    body.append("text", textarea.value);
    body.append("profile", textarea.dataset.languageProfile || "");
    let response;
    try {
      response = await fetch(textarea.dataset.languageUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
      });
    } catch {
      return;
    }
    if (!response.ok || mine !== asked) return;
    const answer = await response.json();
    // Only the latest answer is shown: an earlier one may arrive after it.
    if (mine === asked) region.innerHTML = answer.html;
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, PAUSE_MS);
  });
}

for (const textarea of document.querySelectorAll("textarea[data-language-url]")) {
  const region = document.getElementById(`${textarea.id}-language`);
  if (region && textarea.form) watch(textarea, region);
}
