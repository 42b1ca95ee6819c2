import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { sbDate } from "./clock";

export const json = (o: unknown, status = 200) => new Response(JSON.stringify(o), { status, headers: { "content-type": "application/json; charset=utf-8" } });
export const err = (errcode: number, errmsg: string) => json({ errcode, errmsg });

/** Calendar keys in Asia/Shanghai, WeChat's clock for "a day" and "a month". */
export function cnDay(d = sbDate()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
export function cnMonth(d = sbDate()): string {
  return cnDay(d).slice(0, 7);
}
export function cnMonthStart(d = sbDate()): Date {
  return new Date(`${cnMonth(d)}-01T00:00:00+08:00`);
}

/** Adds to a counter and returns the new value (one statement, so concurrent requests count right). */
export async function bump(db: DbOrTx, appid: string, key: string, by = 1): Promise<number> {
  const r = (await db.execute(
    sql`insert into sandbox_counters (appid, key, count) values (${appid}, ${key}, ${by})
        on conflict (appid, key) do update set count = sandbox_counters.count + ${by} returning count`,
  )) as unknown as { rows: { count: number }[] };
  return Number(r.rows[0].count);
}

export async function counter(db: DbOrTx, appid: string, key: string): Promise<number> {
  const r = (await db.execute(sql`select count from sandbox_counters where appid = ${appid} and key = ${key}`)) as unknown as { rows: { count: number }[] };
  return Number(r.rows[0]?.count ?? 0);
}

/** File type by content, as WeChat checks it. */
export function sniff(b: Uint8Array): "jpg" | "png" | "gif" | "bmp" | "mp3" | "amr" | "mp4" | null {
  const s = (i: number, str: string) => str.split("").every((c, k) => b[i + k] === c.charCodeAt(0));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpg";
  if (b[0] === 0x89 && s(1, "PNG")) return "png";
  if (s(0, "GIF8")) return "gif";
  if (s(0, "BM")) return "bmp";
  if (s(0, "#!AMR")) return "amr";
  if (s(0, "ID3") || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return "mp3";
  if (s(4, "ftyp")) return "mp4";
  return null;
}

/** A seeded generator for fault injection, so a test run is repeatable. */
export function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** A text[] literal for one bound parameter (drizzle would expand a JS array into a row). */
export function pgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** Fault-injection generators by app and seed; reset when an app's settings change, so a seed replays. */
export const faultRng = new Map<string, () => number>();
export function resetFaultRng(appid: string) {
  for (const k of [...faultRng.keys()]) if (k.startsWith(appid + ":")) faultRng.delete(k);
}
