// The share dialog: the link to this program, the iframe snippet, the embed.js snippet,
// each with a copy button (falling back to selecting the text when the clipboard is refused).

import { $, $$, on } from "./dom.js";
import { copyText, iframeSnippet, playgroundUrl, scriptSnippet } from "./share.js";
import { t } from "./i18n.js";

export function createShareDialog(dialog) {
  const status = $(".copy-status", dialog);
  const fields = { link: $("#share-link", dialog), iframe: $("#share-iframe", dialog), script: $("#share-script", dialog) };

  on($("[data-close]", dialog), "click", () => dialog.close());
  on(dialog, "click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  for (const button of $$("[data-copy]", dialog)) {
    on(button, "click", async () => {
      const field = $(`#${button.dataset.copy}`, dialog);
      const copied = await copyText(field.value);
      if (!copied) {
        field.focus();
        field.select();
      }
      status.textContent = t(copied ? "share.copied" : "share.copy_failed");
    });
  }

  return {
    /** Fill the fields for this program's fragment and open the dialog. */
    /** Say that the link was copied already (the Share button copies it as it opens the dialog). */
    copied() {
      status.textContent = t("share.link_copied");
    },
    open({ fragment, code, height }) {
      fields.link.value = playgroundUrl(fragment);
      fields.iframe.value = iframeSnippet(fragment, height);
      fields.script.value = scriptSnippet(code);
      status.textContent = "";
      if (!dialog.open) dialog.showModal();
      fields.link.focus();
      fields.link.select();
    },
  };
}
