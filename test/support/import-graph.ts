/**
 * The import graph between lib folders, read from the source with TypeScript's own pre-parser
 * (imports, re-exports and dynamic imports, `@/lib/…` and relative). Test files are left out: a test
 * may reach across folders to set up its world. Print it with
 *   npx tsx test/support/import-graph.ts          (folder → folder)
 *   npx tsx test/support/import-graph.ts -v       (with the importing files)
 *   npx tsx test/support/import-graph.ts --root=DIR   (another checkout, e.g. to compare with main)
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const rootArg = process.argv.find((a) => a.startsWith("--root="));
export const ROOT = rootArg ? path.resolve(rootArg.slice("--root=".length)) : path.resolve(__dirname, "../..");

export function sourceFiles(dir: string, opts: { tests?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p, opts));
    else if (/\.tsx?$/.test(e.name) && (opts.tests || !/\.test\.tsx?$/.test(e.name))) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports, re-exports or imports dynamically. */
export function specifiers(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

/** The lib folder of a path under lib/ (a file directly in lib/ counts as its own folder). */
function folderOf(abs: string): string {
  const parts = path.relative(path.join(ROOT, "lib"), abs).split(path.sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.tsx?$/, "");
}

/** "from → to" with the files that make each edge. */
export function libGraph(): Map<string, Map<string, string[]>> {
  const lib = path.join(ROOT, "lib");
  const g = new Map<string, Map<string, string[]>>();
  for (const f of sourceFiles(lib)) {
    const from = folderOf(f);
    if (!g.has(from)) g.set(from, new Map());
    for (const s of specifiers(f)) {
      const target = s.startsWith("@/lib/") ? path.join(ROOT, s.slice(2)) : s.startsWith(".") ? path.resolve(path.dirname(f), s) : null;
      if (!target || !target.startsWith(lib + path.sep)) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const edges = g.get(from)!;
      edges.set(to, [...(edges.get(to) ?? []), path.relative(ROOT, f)]);
    }
  }
  return g;
}

/** Every elementary cycle's folders, each listed once (smallest folder name first). */
export function cycles(g: Map<string, Map<string, string[]>>): string[][] {
  const found = new Map<string, string[]>();
  const nodes = [...g.keys()].sort();
  for (const start of nodes) {
    const walk = (node: string, trail: string[]) => {
      for (const next of g.get(node)?.keys() ?? []) {
        if (next === start) {
          const c = [...trail];
          const i = c.indexOf([...c].sort()[0]);
          const key = [...c.slice(i), ...c.slice(0, i)];
          found.set(key.join(" → "), key);
        } else if (!trail.includes(next) && next > start) walk(next, [...trail, next]);
      }
    };
    walk(start, [start]);
  }
  return [...found.values()];
}

export function printGraph(g: Map<string, Map<string, string[]>>, verbose = false): string {
  const lines: string[] = [];
  for (const from of [...g.keys()].sort()) {
    const to = [...g.get(from)!.keys()].sort();
    lines.push(`${from} → ${to.join(", ") || "(nothing)"}`);
    if (verbose) for (const t of to) lines.push(`    ${t}: ${[...new Set(g.get(from)!.get(t))].join(", ")}`);
  }
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const g = libGraph();
  console.log(printGraph(g, process.argv.includes("-v")));
  const c = cycles(g);
  console.log(c.length ? `cycles:\n${c.map((x) => "  " + [...x, x[0]].join(" → ")).join("\n")}` : "no cycle");
}
