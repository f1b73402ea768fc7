// Rectangles ({x, y, w, h, weight}) filed in a grid of square buckets, so that what overlaps a
// rectangle is found without a scan of them all (label-layout.js files nodes and placed labels
// here and asks, for each place it tries, how much of it they cover).

const CELL = 64; // the side of a bucket, in the drawing's units
const ROW = 1 << 16; // a bucket's key: i * ROW + j

/** The area two rectangles {x, y, w, h} share (0 when they only touch). */
export function area(a, b) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Rectangles filed in a grid of buckets: what overlaps a rectangle is found without a full scan. */
export function createBoxIndex() {
  const cells = new Map(); // a bucket's key -> the rectangles that reach it
  let visit = 0; // each query marks what it counted with its own number: no set to allocate
  const each = (box, action) => {
    for (let i = Math.floor(box.x / CELL); i <= Math.floor((box.x + box.w) / CELL); i += 1) {
      for (let j = Math.floor(box.y / CELL); j <= Math.floor((box.y + box.h) / CELL); j += 1) action(i * ROW + j);
    }
  };
  return {
    add(box) {
      each(box, (key) => {
        if (!cells.has(key)) cells.set(key, []);
        cells.get(key).push(box);
      });
    },
    /**
     * The area of `box` covered by filed rectangles (each counted once), weighted by theirs;
     * counting stops once it reaches `enough`.
     */
    overlap(box, enough = Infinity) {
      let total = 0;
      visit += 1;
      each(box, (key) => {
        if (total >= enough) return;
        for (const other of cells.get(key) ?? []) {
          if (other.visit === visit) continue;
          other.visit = visit;
          total += other.weight * area(box, other);
        }
      });
      return total;
    },
  };
}
