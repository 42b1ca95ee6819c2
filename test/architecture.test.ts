import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { cycles, libGraph, printGraph, ROOT, sourceFiles } from "./support/import-graph";

it("no cycle between lib folders (the graph is printed)", () => {
  const g = libGraph();
  console.log(`import graph between lib folders (npx tsx test/support/import-graph.ts):\n${printGraph(g)}`);
  const found = cycles(g).map((c) => c.join(" → "));
  expect(found).toEqual([]);
});

/**
 * Files in app/ that may import drizzle or table definitions, each with its reason. Everything
 * else in app/ reads and writes through lib functions; a type-only import is not a query.
 */
const APP_SQL_ALLOWED: Record<string, string> = {};

it("app/ holds no SQL: no value import from drizzle-orm or @/db/schema outside the allowlist", () => {
  const offenders: string[] = [];
  for (const f of sourceFiles(path.join(ROOT, "app"), { tests: true })) {
    const rel = path.relative(ROOT, f);
    const text = fs.readFileSync(f, "utf8");
    const valueImport = /^import\s+(?!type\s)[^;]*?\bfrom\s+["'](drizzle-orm(?:\/[^"']*)?|@\/db\/schema(?:\/[^"']*)?)["']/m;
    if (valueImport.test(text) && !(rel in APP_SQL_ALLOWED)) offenders.push(rel);
  }
  expect(offenders).toEqual([]);
});
