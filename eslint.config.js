// ESLint's flat config for the browser code: ES modules under static/js, the classic script
// static/embed.js, and this file. No bundler, no build: the rules catch mistakes, not style
// (formatting is left to the authors).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", ".venv/", "build/", "test-artifacts/", "docs/", "bench/", "tests/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["static/embed.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
  {
    files: ["**/*.js"],
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "off",
      "prefer-const": "error",
      // A local `t` would hide i18n's translation function: it happened once.
      "no-shadow": "error",
      "no-implicit-globals": "error",
      "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
    },
  },
];
