// The share dialog: the link to this program, the iframe snippet, the embed.js snippet,
// each with a copy button (falling back to selecting the text when the clipboard is refused).
// share() opens it as the Share button does: the link copied at once, the iframe sized to the graph.

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
      const done = await copyText(field.value);
      if (!done) {
        field.focus();
        field.select();
      }
      status.textContent = t(done ? "share.copied" : "share.copy_failed");
    });
  }

  /** Fill the fields for this program's fragment and open the dialog. */
  function open({ fragment, code, height }) {
    fields.link.value = playgroundUrl(fragment);
    fields.iframe.value = iframeSnippet(fragment, height);
    fields.script.value = scriptSnippet(code);
    status.textContent = "";
    if (!dialog.open) dialog.showModal();
    fields.link.focus();
    fields.link.select();
  }

  /** Say that the link was copied already (the Share button copies it as it opens the dialog). */
  function copied() {
    status.textContent = t("share.link_copied");
  }

  return {
    open,
    copied,
    /** Open the dialog for `code` (carried by `fragment`), its graph `graphHeight` px tall, and copy the link. */
    async share({ fragment, code, graphHeight }) {
      open({ fragment, code, height: Math.round(Math.min(640, Math.max(320, graphHeight + 260))) });
      // Best effort: the dialog shows the link either way.
      if (await copyText(playgroundUrl(fragment))) copied();
    },
  };
}
