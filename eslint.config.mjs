import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (DESIGN.md, README "Architecture"), as rules: an import across a forbidden line fails
// the lint. Paths are from the repository root; `except` is relative to its `from`.
const layerZones = [
  // A campaign's results and state are written by lib/campaigns alone; the callback hands job
  // results to it (lib/callback → lib/campaigns), never the other way round.
  { target: "./lib/campaigns", from: "./lib/callback", message: "lib/campaigns owns campaign results: the callback calls it, not the reverse." },
  { target: "./lib", from: ["./app", "./components"], message: "lib/ is below the pages: it never imports app/ or components/." },
  { target: "./components", from: "./db", message: "Components get data, not the database: call a lib function from the page." },
];
// The simulated and the real WeChat stand alone; their own tests may put the two side by side.
const wechatZones = [
  { target: "./lib/wechat", from: ["./lib", "./db", "./app", "./components"], except: ["./wechat"], message: "lib/wechat knows WeChat and nothing of ours." },
  {
    target: "./lib/sandbox",
    from: "./lib",
    except: ["./sandbox", "./config", "./crypto", "./http", "./net", "./i18n", "./enums.ts", "./utils.ts"],
    message: "lib/sandbox is written from WeChat's documents: it imports neither lib/wechat nor the console's domains.",
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "data/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { zones: [...layerZones, ...wechatZones] }],
    },
  },
  {
    // A lib test may drive a route handler (the sandbox's HTTP face) or put the real and the
    // simulated WeChat side by side; the code under test keeps every rule.
    files: ["lib/**/*.test.ts"],
    rules: { "import/no-restricted-paths": ["error", { zones: layerZones.filter((z) => z.target !== "./lib" || z.from === "./lib/callback") }] },
  },
];
export default config;
