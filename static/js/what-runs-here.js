// The "What runs here" page: both languages are in the page, and app.css shows the one <html lang>
// names. This sets it to the playground's choice (or ?lang=), and keeps the switch, the title and
// the address in step with it.

import { $ } from "./dom.js";
import { bindLanguagePicker, lang, onLanguageChange, t, translatePage } from "./i18n.js";

function follow() {
  document.title = `${t("page.what_runs_here")} · autograd-viz`;
  // A reload (or a copied link) keeps the language shown.
  const url = new URL(location.href);
  if (url.searchParams.has("lang") && url.searchParams.get("lang") !== lang()) {
    url.searchParams.set("lang", lang());
    history.replaceState(history.state, "", url);
  }
}

translatePage();
bindLanguagePicker($("#language"));
onLanguageChange(follow);
follow();
