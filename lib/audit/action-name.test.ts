import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/messages/en/audit.json";
import zh from "@/messages/zh-CN/audit.json";

/** Every audit action code written anywhere in lib/ (`action: "campaign.send"`, and the codes chosen in a ternary). */
function actionsWritten(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) {
        const src = fs.readFileSync(abs, "utf8");
        for (const m of src.matchAll(/action:[^,\n]*/g))
          for (const a of m[0].matchAll(/"((?:account|audience|campaign|media|news|sandbox|user)\.[a-z-]+)"/g)) found.add(a[1]);
      }
    }
  };
  walk(path.join(process.cwd(), "lib"));
  return [...found].sort();
}

const named = (catalog: { audit: { actionNames: Record<string, Record<string, string>> } }, action: string) => {
  const [group, name] = action.split(".");
  return catalog.audit.actionNames[group]?.[name];
};

describe("audit action names", () => {
  it("every action the console records has plain words in both languages (the activity log showed `campaign.submitted`)", () => {
    const actions = actionsWritten();
    expect(actions).toContain("campaign.submitted");
    expect(actions.filter((a) => !named(zh, a))).toEqual([]);
    expect(actions.filter((a) => !named(en, a))).toEqual([]);
  });
});
