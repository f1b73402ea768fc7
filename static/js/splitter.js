// A splitter between two panels: a focusable role="separator" that sets the width of the panel
// before it (a CSS custom property on the layout, read by its grid), by drag or by keyboard:
// ← / → by 20 px (Shift: 80 px), Home and End to the narrowest and widest, Enter (or a double
// click) back to the layout's own width. The width is kept for the next visit (localStorage).
//
// The value it announces is the panel's share of the layout, in percent.

import { on } from "./dom.js";

const STEP = 20;
const BIG_STEP = 80;

/**
 * Make `handle` resize `panel` inside `layout`: `property` (a custom property on `layout`)
 * gets the width in px; `min` is the panel's narrowest width, `rest` the room the other
 * panels need. Its name comes from the page (data-i18n-aria).
 */
export function createSplitter(handle, { layout, panel, property, storageKey, min = 300, rest = 600 }) {
  const stored = () => {
    try {
      return Number(localStorage.getItem(storageKey)) || null;
    } catch {
      return null;
    }
  };
  const keep = (width) => {
    try {
      if (width === null) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, String(Math.round(width)));
    } catch {
      // storage refused (private mode): the width lasts for this page only
    }
  };
  const max = () => Math.max(min, layout.clientWidth - rest);
  const clamp = (width) => Math.min(max(), Math.max(min, width));

  function describe() {
    const whole = layout.clientWidth || 1;
    const share = (value) => String(Math.round((100 * value) / whole));
    handle.setAttribute("aria-valuemin", share(min));
    handle.setAttribute("aria-valuemax", share(max()));
    handle.setAttribute("aria-valuenow", share(panel.getBoundingClientRect().width));
  }

  function set(width) {
    if (width === null) layout.style.removeProperty(property);
    else layout.style.setProperty(property, `${Math.round(clamp(width))}px`);
    keep(width === null ? null : clamp(width));
    describe();
  }

  const current = () => panel.getBoundingClientRect().width;
  const keys = {
    ArrowLeft: (event) => set(current() - (event.shiftKey ? BIG_STEP : STEP)),
    ArrowRight: (event) => set(current() + (event.shiftKey ? BIG_STEP : STEP)),
    Home: () => set(min),
    End: () => set(max()),
    Enter: () => set(null),
  };
  on(handle, "keydown", (event) => {
    const key = keys[event.key];
    if (!key || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    key(event);
  });

  let drag = null;
  on(handle, "pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    handle.setPointerCapture?.(event.pointerId);
    drag = { x: event.clientX, width: current() };
    handle.classList.add("is-dragging");
  });
  on(handle, "pointermove", (event) => {
    if (drag) set(drag.width + event.clientX - drag.x);
  });
  const stop = () => {
    drag = null;
    handle.classList.remove("is-dragging");
  };
  on(handle, "pointerup", stop);
  on(handle, "pointercancel", stop);
  on(handle, "dblclick", () => set(null));

  const width = stored();
  if (width) set(width);
  new ResizeObserver(describe).observe(layout);
  describe();
  return { set };
}
