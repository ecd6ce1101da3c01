// Progressive enhancement for the GOV.UK components on every page.
import { initAll } from "./govuk-frontend.min.js";

initAll();
