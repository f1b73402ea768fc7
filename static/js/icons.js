// Icons from the sprite static/icons.svg (<symbol id="...">), usable from JS-built views.

import { svg } from "./dom.js";

export function icon(name) {
  return svg(
    "svg",
    { class: `icon icon-${name}`, width: 18, height: 18, "aria-hidden": "true", focusable: "false" },
    svg("use", { href: `/static/icons.svg#${name}` }),
  );
}
