import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { loadMessages, NAMESPACES } from "@/messages";

const zh = await loadMessages("zh-CN");
const en = await loadMessages("en");

type Tree = { [k: string]: string | Tree };
const flatten = (o: Tree, p = ""): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === "string" ? [p + k] : flatten(v, `${p}${k}.`)));
const lookup = (o: Tree, key: string) => key.split(".").reduce<string | Tree | undefined>((acc, k) => (typeof acc === "object" ? acc[k] : undefined), o);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

describe("message catalogs", () => {
  it("every namespace file exists in both locales and is listed", () => {
    for (const loc of ["zh-CN", "en"]) {
      const files = fs
        .readdirSync(path.join(process.cwd(), "messages", loc))
        .map((f) => f.replace(/\.json$/, ""))
        .sort();
      expect(files).toEqual([...NAMESPACES].sort());
    }
  });

  it("zh-CN and English have the same keys, none empty", () => {
    expect(flatten(en as Tree).sort()).toEqual(flatten(zh as Tree).sort());
    for (const k of flatten(zh as Tree)) {
      expect(String(lookup(zh as Tree, k)).trim(), k).not.toBe("");
      expect(String(lookup(en as Tree, k)).trim(), k).not.toBe("");
    }
  });

  it("every literal key the code asks a translator for exists", () => {
    const files = ["app", "components", "lib"].flatMap((d) => sourceFiles(path.join(process.cwd(), d)));
    const missing: string[] = [];
    for (const f of files) {
      const src = fs.readFileSync(f, "utf8");
      // const t = await getTranslations("ns") / useTranslations("ns"): map variable → namespace
      const ns = new Map<string, string>();
      for (const m of src.matchAll(/const (\w+) = (?:await )?(?:getTranslations|useTranslations)\("([\w.]+)"\)/g)) ns.set(m[1], m[2]);
      for (const [v, n] of ns) {
        for (const m of src.matchAll(new RegExp(`\\b${v}\\("([\\w.]+)"`, "g"))) {
          const key = `${n}.${m[1]}`;
          if (lookup(zh as Tree, key) === undefined) missing.push(`${path.relative(process.cwd(), f)}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
