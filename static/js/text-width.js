// How wide a line of SVG text will be, estimated without measuring it (measuring forces a
// layout per label): CJK and other wide characters take a full em, a space 0.3 em, any other
// character `narrow` em (digits and Latin letters in the sans-serif the drawings use).

const WIDE_FROM = 0x2e80; // CJK radicals onwards: ideographs, kana, Hangul, fullwidth forms

/** The estimated width in px of `text` at font size `size`. */
export function textWidth(text, size, narrow = 0.58) {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    width += code >= WIDE_FROM ? size : ch === " " ? size * 0.3 : size * narrow;
  }
  return width;
}
