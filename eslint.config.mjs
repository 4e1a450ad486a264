import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "lib/db/generated/", "tmp/", "test-results/", "playwright-report/", "next-env.d.ts", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly", AbortController: "readonly", structuredClone: "readonly", performance: "readonly", setImmediate: "readonly", queueMicrotask: "readonly", ReadableStream: "readonly", EventSource: "readonly", window: "readonly", document: "readonly", navigator: "readonly", Blob: "readonly", crypto: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through lib/env.ts (getEnv), the one validated list of settings.",
        },
      ],
    },
  },
  {
    // Entry points, tooling and tests may read the raw environment.
    files: ["lib/env.ts", "instrumentation.ts", "lib/cli/**", "bin/**", "scripts/**", "tests/**", "e2e/**", "bench/**", "**/*.test.ts", "*.config.*", "prisma.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
