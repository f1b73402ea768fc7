// A small Python tokenizer for the editor's highlighting: comments, strings (triple-quoted ones
// across lines), numbers, keywords, names of calls and definitions. It never fails: whatever it
// does not know is plain text.

const KEYWORDS = new Set(
  ("and as assert async await break class continue def del elif else except finally for from " +
    "global if import in is lambda nonlocal not or pass raise return try while with yield match case").split(" "),
);
const CONSTANTS = new Set(["True", "False", "None"]);
const BUILTINS = new Set(
  ("print range len abs min max sum float int bool list tuple dict set enumerate zip round " +
    "isinstance super type str map filter sorted reversed any all").split(" "),
);
const MODULES = new Set(["torch", "nn", "F", "optim", "self"]);

const TOKEN = new RegExp(
  [
    /(#[^\n]*)/.source, // 1 comment
    /((?:[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))/
      .source, // 2 string
    /((?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?j?))/.source, // 3 number
    /(@[A-Za-z_][\w.]*)/.source, // 4 decorator
    /([A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*)/.source, // 5 name
    /([-+*/%@&|^~<>=!]=?|\*\*|\/\/|->|:=)/.source, // 6 operator
    /([\s\S])/.source, // 7 anything else
  ].join("|"),
  "gy",
);

/** Split a program into [{type, text}] tokens; `type` is a CSS class suffix or "" for plain. */
export function tokenize(source) {
  const tokens = [];
  let previousName = "";
  TOKEN.lastIndex = 0;
  let match;
  while (TOKEN.lastIndex < source.length && (match = TOKEN.exec(source))) {
    const text = match[0];
    let type = "";
    if (match[1] !== undefined) type = "comment";
    else if (match[2] !== undefined) type = "string";
    else if (match[3] !== undefined) type = "number";
    else if (match[4] !== undefined) type = "decorator";
    else if (match[5] !== undefined) {
      const rest = source.slice(TOKEN.lastIndex);
      if (KEYWORDS.has(text)) type = "keyword";
      else if (CONSTANTS.has(text)) type = "constant";
      else if (previousName === "def" || previousName === "class") type = "definition";
      else if (MODULES.has(text)) type = "module";
      else if (/^\s*\(/.test(rest)) type = BUILTINS.has(text) ? "builtin" : "call";
      previousName = text;
    } else if (match[6] !== undefined) type = "operator";
    if (match[5] === undefined && !/^\s+$/.test(text)) previousName = "";
    const last = tokens[tokens.length - 1];
    if (last && last.type === type && type === "") last.text += text;
    else tokens.push({ type, text });
  }
  return tokens;
}

/** The tokens regrouped into lines (tokens that span lines are split), for line-by-line rendering. */
export function tokenLines(source) {
  const lines = [[]];
  for (const token of tokenize(source)) {
    const parts = token.text.split("\n");
    parts.forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part) lines[lines.length - 1].push({ type: token.type, text: part });
    });
  }
  return lines;
}
