// Progressive enhancement for the GOV.UK components on every page.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// "Another invitee": the person list offers only the chosen agency's people. Without
// this script every person is listed, and the server refuses someone of another agency.
for (const agency of document.querySelectorAll("select[data-people]")) {
  const people = document.getElementById(agency.dataset.people);
  if (!people) continue;
  const offer = () => {
    for (const option of people.options) {
      const kind = option.dataset.kind;
      const shown = !kind || !agency.value || kind === agency.value;
      option.hidden = !shown;
      option.disabled = !shown;
      if (!shown && option.selected) people.value = "";
    }
  };
  agency.addEventListener("change", offer);
  offer();
}
