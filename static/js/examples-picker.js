// The example picker: the gallery's <select> and the chosen example's description. It says
// "Your program" once the program is no longer the example.
//
// Events (bind): "choose" (the example chosen: {id, title, description, code}).

import { emitter, on } from "./dom.js";
import { pick, t } from "./i18n.js";

export function createExamplePicker(select, description) {
  const events = emitter();
  let examples = [];

  const find = (id) => examples.find((example) => example.id === id);

  function paint() {
    const chosen = select.value;
    select.replaceChildren(
      new Option(t("toolbar.custom"), ""),
      ...examples.map((example) => new Option(pick(example.title), example.id)),
    );
    select.value = chosen;
    const example = find(chosen);
    description.textContent = example ? pick(example.description) : "";
    description.hidden = !example;
  }

  /** Show example `id` as chosen (any other id: "Your program"), and say so when it is one. */
  function choose(id) {
    const example = find(id);
    select.value = example ? id : "";
    paint();
    if (example) events.emit("choose", example);
  }

  on(select, "change", () => choose(select.value));

  return {
    bind: events.bind,
    /** The gallery (GET /api/examples). */
    setExamples(list) {
      examples = list;
      paint();
    },
    /** Say that the gallery could not be loaded. */
    failed(message) {
      description.hidden = false;
      description.textContent = t("error.examples", { message });
    },
    choose,
    /** The first example, or null when there are none. */
    first: () => examples[0] ?? null,
    /** A program opened from elsewhere (a link): show the example it is, else "Your program". */
    match(code) {
      const example = examples.find((e) => e.code.trimEnd() === code.trimEnd());
      select.value = example ? example.id : "";
      paint();
    },
    /** The program was edited: once it is no longer the chosen example, say so. */
    edited(code) {
      const example = find(select.value);
      if (example && code.trimEnd() !== example.code.trimEnd()) {
        select.value = "";
        paint();
      }
    },
    relabel: paint,
  };
}
