// The repository's lint rules: ESLint's and typescript-eslint's recommended sets over every TypeScript and
// JavaScript file we write. Run by `npm test` (`npm run lint`).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      // Installed, built and generated files are not ours to lint.
      "**/node_modules/**",
      "**/dist/**",
      "**/out/**",
      "**/.venv/**",
      "test-results/**",
      "**/*.generated.ts",
      // AssemblyScript (decorators on functions, its own types): checked by its compiler, asc, at build time.
      "kernel-lib/wasm/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_name` marks a parameter or binding kept for its position; `{ dropped, ...rest }` omits a field.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/no-require-imports": [
        "error",
        {
          allow: [
            // The kernel process loads tslab, its TypeScript and ml-lab after installing its module hooks and code
            // cache, and only when needed: its start is what a user waits for.
            "^tslab(/|$)",
            "^@tslab/typescript-for-tslab$",
            "^ml-lab(/|$)",
            "^\\./process/main$",
            // Libraries ml-lab loads on first use, not with the library (the kernel preloads ml-lab, and its start
            // waits for that): the contact sheet's drawing, PNG files, CSV parsing.
            "^pureimage$",
            "^pngjs$",
            "^csv-parse/sync$",
            // Tests load the built kernel, and the extension's modules after pointing `vscode` at a fake.
            "/extension/kernel/dist/index$",
            "/extension/src/",
            // DOM helpers shared with the browser tests: required so the Node type check does not take in DOM code.
            "/renderer/page-checks$",
          ],
        },
      ],
    },
  },
  {
    // Plain CommonJS scripts: `require` is their module system.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests read saved notebooks and protocol messages as parsed JSON, and assert their shape field by field.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Sample notebooks' sources: a cell ending in an expression shows its value, as in Jupyter.
    files: ["samples/src/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
