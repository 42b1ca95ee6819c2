import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { SHELL_NAMESPACES } from "@/lib/i18n/client-messages";

// The browser receives only the messages a <ClientMessages> above it names (plus the shell's). A
// client component translating a namespace nobody sent shows its keys instead of words, so this
// walks every page's imports: each namespace a client component below it translates must be sent
// by the nearest layout with <ClientMessages> (or by the page itself around that part).
const root = path.resolve(__dirname, "..");

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const c of [base, `${base}.tsx`, `${base}.ts`, `${base}/index.ts`, `${base}/index.tsx`]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}
const read = (f: string) => fs.readFileSync(f, "utf8");
const importsOf = (f: string) =>
  [...read(f).matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)]
    .map((m) => resolve(f, m[1]))
    .filter((x): x is string => !!x && !x.includes(`${path.sep}messages${path.sep}`));
const isClient = (f: string) => /^\s*["']use client["']/.test(read(f));
const translated = (f: string) => [
  ...[...read(f).matchAll(/useTranslations\("([^".]+)/g)].map((m) => m[1]),
  // SectionError is given its namespace by the error.tsx that uses it.
  ...[...read(f).matchAll(/<SectionError namespace="([^"]+)"/g)].map((m) => m[1]),
];

function clientNamespaces(file: string, inClient = false, seen = new Set<string>(), out = new Set<string>()) {
  const key = `${file}:${inClient}`;
  if (seen.has(key)) return out;
  seen.add(key);
  const client = inClient || isClient(file);
  if (client || file.endsWith("error.tsx")) translated(file).forEach((n) => out.add(n));
  for (const i of importsOf(file)) clientNamespaces(i, client, seen, out);
  return out;
}
const sent = (f: string) =>
  [...read(f).matchAll(/<ClientMessages namespaces=\{\[([^\]]*)\]\}/g)].flatMap((m) => [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]));

function pages(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) pages(p, out);
    else if (/^(page|error|loading|not-found)\.tsx$/.test(e.name)) out.push(p);
  }
  return out;
}

describe("messages sent to the browser", () => {
  it("cover every namespace the client components of each page translate", () => {
    const missing: string[] = [];
    for (const page of pages(path.join(root, "app"))) {
      const need = clientNamespaces(page);
      // Layouts from the page's folder up: the nearest that sends messages is what the page gets.
      let provided: string[] = [...SHELL_NAMESPACES];
      for (let dir = path.dirname(page); dir.startsWith(path.join(root, "app")); dir = path.dirname(dir)) {
        const layout = path.join(dir, "layout.tsx");
        if (fs.existsSync(layout) && sent(layout).length) {
          provided = [...SHELL_NAMESPACES, ...sent(layout)];
          break;
        }
      }
      provided.push(...sent(page));
      for (const ns of need) if (!provided.includes(ns)) missing.push(`${path.relative(root, page)}: ${ns}`);
    }
    expect(missing).toEqual([]);
  });

  it("can fail: a page whose client component translates a namespace nobody sends is found", () => {
    expect(clientNamespaces(path.join(root, "app/(console)/[accountId]/history/page.tsx"))).toContain("history");
    expect(sent(path.join(root, "app/(console)/[accountId]/history/page.tsx"))).toEqual(["history"]);
    // Without the page's own <ClientMessages>, the nearest layout with messages does not send it.
    expect(sent(path.join(root, "app/(console)/[accountId]/campaigns/layout.tsx"))).not.toContain("history");
  });
});
