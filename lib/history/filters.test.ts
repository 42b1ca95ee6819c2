import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { buildHistoryQuery, cursorOf, dayStart, historyFilterSchema, parseCursor } from "./filters";

const dialect = new PgDialect();
const render = (f: Record<string, string>, accounts: string[] | null = ["a1"]) => {
  const q = buildHistoryQuery(accounts, historyFilterSchema.parse(f));
  return q.where ? dialect.sqlToQuery(q.where) : { sql: "", params: [] };
};

describe("history filter → query", () => {
  it("scopes to the account and nothing else when no filter is set", () => {
    const q = render({});
    expect(q.sql).toBe('"campaigns"."account_id" = $1');
    expect(q.params).toEqual(["a1"]);
  });

  it("searches name and article titles, escaping LIKE wildcards", () => {
    const q = render({ q: "50%_off" });
    expect(q.sql).toContain('"campaigns"."name" ilike $2');
    expect(q.sql).toContain('"campaigns"."search_text" ilike $3');
    expect(q.params.slice(1)).toEqual(["%50\\%\\_off%", "%50\\%\\_off%"]);
  });

  it("keeps only known states, types and audience kinds from the URL", () => {
    const f = historyFilterSchema.parse({ state: "finished,bogus,sending", type: "mpnews,video", audience: "tag,everyone" });
    expect(f.state).toEqual(["finished", "sending"]);
    expect(f.type).toEqual(["mpnews"]);
    expect(f.audience).toEqual(["tag"]);
    const q = render({ state: "finished,sending", type: "mpnews", audience: "tag" });
    expect(q.params).toEqual(["a1", "finished", "sending", "mpnews", "tag"]);
  });

  it("turns days into instants in the account's time zone", () => {
    expect(dayStart("2026-11-01", "Asia/Shanghai").toISOString()).toBe("2026-10-31T16:00:00.000Z");
    const q = render({ from: "2026-11-01", to: "2026-11-02" });
    expect(q.params.slice(1)).toEqual(["2026-10-31T16:00:00.000Z", "2026-11-02T16:00:00.000Z"]);
    expect(q.sql).toContain('"campaigns"."created_at" >= $2');
    expect(q.sql).toContain('"campaigns"."created_at" < $3');
  });

  it("ignores malformed dates and cursors instead of failing", () => {
    expect(render({ from: "yesterday", after: "garbage" }).params).toEqual(["a1"]);
    expect(parseCursor("2026-11-01T00:00:00.000Z|c1")).toEqual({ key: "2026-11-01T00:00:00.000Z", id: "c1" });
    expect(parseCursor("12|c1", "delivered")).toEqual({ key: "12", id: "c1" });
    expect(parseCursor("many|c1", "delivered")).toBeNull();
    expect(render({ sort: "delivered", after: "1; drop table campaigns|c1" }).params).toEqual(["a1"]);
    expect(render({ sort: "upside-down" }).params).toEqual(["a1"]);
  });

  const row = { createdAt: new Date("2026-11-01T00:00:00.000Z"), startedAt: null, name: "a|b", sentCount: null, id: "c9" };

  it("pages by (created_at, id) in the sort's direction", () => {
    const after = cursorOf(row);
    expect(render({ after }).sql).toContain('("campaigns"."created_at", "campaigns"."id") < ($2::timestamptz, $3)');
    expect(render({ after, sort: "oldest" }).sql).toContain('("campaigns"."created_at", "campaigns"."id") > ($2::timestamptz, $3)');
    const q = buildHistoryQuery(null, historyFilterSchema.parse({ sort: "oldest" }));
    expect(q.where).toBeUndefined();
    expect(q.orderBy.map((o) => dialect.sqlToQuery(o).sql)).toEqual(['"campaigns"."created_at" asc', '"campaigns"."id" asc']);
  });

  it("a person filter matches who created, sent or approved", () => {
    const q = render({ person: "u7" });
    expect(q.sql).toContain('("campaigns"."created_by" = $2 or "campaigns"."sent_by" = $3 or "campaigns"."approved_by" = $4)');
  });

  it("sorts by sent time, latest first, with never-sent campaigns last under a fixed key", () => {
    const q = buildHistoryQuery(["a1"], historyFilterSchema.parse({ sort: "sent", after: cursorOf(row, "sent") }));
    expect(cursorOf(row, "sent")).toBe("1970-01-01T00:00:00.000Z|c9");
    const w = dialect.sqlToQuery(q.where!);
    // The expression is the one in campaigns_account_sent_idx, so the index serves the order.
    expect(w.sql).toContain(`(coalesce("campaigns"."started_at", '1970-01-01 00:00:00+00'::timestamptz), "campaigns"."id") < ($2::timestamptz, $3)`);
    expect(w.params).toEqual(["a1", "1970-01-01T00:00:00.000Z", "c9"]);
    expect(q.orderBy.map((o) => dialect.sqlToQuery(o).sql)).toEqual([
      `coalesce("campaigns"."started_at", '1970-01-01 00:00:00+00'::timestamptz) desc`,
      '"campaigns"."id" desc',
    ]);
  });

  it("sorts by name A→Z; a name holding | still makes a cursor that parses back", () => {
    const after = cursorOf(row, "name");
    expect(after).toBe("a|b|c9");
    expect(parseCursor(after, "name")).toEqual({ key: "a|b", id: "c9" });
    const q = buildHistoryQuery(["a1"], historyFilterSchema.parse({ sort: "name", after }));
    const w = dialect.sqlToQuery(q.where!);
    expect(w.sql).toContain('("campaigns"."name", "campaigns"."id") > ($2, $3)');
    expect(w.params).toEqual(["a1", "a|b", "c9"]);
    expect(q.orderBy.map((o) => dialect.sqlToQuery(o).sql)).toEqual(['"campaigns"."name" asc', '"campaigns"."id" asc']);
  });

  it("sorts by delivered count, most first, campaigns without a result last", () => {
    expect(cursorOf({ ...row, sentCount: 940 }, "delivered")).toBe("940|c9");
    const q = buildHistoryQuery(["a1"], historyFilterSchema.parse({ sort: "delivered", after: cursorOf(row, "delivered") }));
    const w = dialect.sqlToQuery(q.where!);
    expect(w.sql).toContain('(coalesce("campaigns"."sent_count", -1), "campaigns"."id") < ($2::int, $3)');
    expect(w.params).toEqual(["a1", -1, "c9"]);
  });

  it("the admin page (all accounts) narrows by the account filter; an account page ignores it", () => {
    const all = buildHistoryQuery(null, historyFilterSchema.parse({ account: "a1,a2,bad id" }));
    const w = dialect.sqlToQuery(all.where!);
    expect(w.sql).toBe('"campaigns"."account_id" in ($1, $2)');
    expect(w.params).toEqual(["a1", "a2"]);
    expect(render({ account: "a2" }).params).toEqual(["a1"]);
  });
});
