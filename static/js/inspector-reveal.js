// On a narrow screen the inspector sits below the graph, often a screen or more away: when a tap
// (or Enter) selects a node, scroll the inspector into view, so the learner sees what the tap
// did. Where the inspector is already in view (wide screens, a resized embed) nothing moves.

// The inspector counts as in view when its top is at least this far above the window's bottom.
const SEEN = 80;

export function revealInspectorOnSelect(graphView, inspector) {
  graphView.bind("select", (id) => {
    if (!id) return;
    // After the inspector has drawn the node (the session's handler runs first) and laid out.
    requestAnimationFrame(() => {
      if (inspector.hidden) return;
      const top = inspector.getBoundingClientRect().top;
      if (top >= 0 && top <= window.innerHeight - SEEN) return;
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      inspector.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    });
  });
}
