import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "data/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // A campaign's results and state are written by lib/campaigns alone; the callback hands job
    // results to it (lib/callback → lib/campaigns), never the other way round.
    files: ["lib/campaigns/**"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        { zones: [{ target: "./lib/campaigns", from: "./lib/callback", message: "lib/campaigns owns campaign results: the callback calls it, not the reverse." }] },
      ],
    },
  },
];
export default config;
