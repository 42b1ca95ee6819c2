import { afterAll, beforeAll, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { createBoss } from "./boss";
import { startRepeating } from "./repeating";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDriver("repeating work on pg-boss", (driver) => {
  let t: TestDb;
  const bosses: PgBoss[] = [];
  beforeAll(async () => {
    t = await createTestDb(driver);
    // Two pg-boss instances on one database: two processes, as far as pg-boss can tell.
    bosses.push(await createBoss(t.handle), await createBoss(t.handle));
  }, 120_000);
  afterAll(async () => {
    for (const b of bosses) await b.stop({ graceful: false, wait: true }).catch(() => {});
    await t?.dispose();
  });

  it("runs round after round, one at a time across processes, and stops when asked", async () => {
    let rounds = 0;
    let running = 0;
    let overlap = 0;
    const round = async () => {
      running++;
      if (running > 1) overlap++;
      await sleep(300);
      rounds++;
      running--;
    };
    const a = await startRepeating(bosses[0], "test-repeat", { everyMs: 100, round });
    const b = await startRepeating(bosses[1], "test-repeat", { everyMs: 100, round });
    const deadline = Date.now() + 45_000;
    while (rounds < 4 && Date.now() < deadline) await sleep(200);
    expect(rounds).toBeGreaterThanOrEqual(4);
    expect(overlap).toBe(0);
    await a.stop();
    await b.stop();
    // A round already taken may finish; after that, nothing more runs.
    await sleep(800);
    const after = rounds;
    await sleep(3_000);
    expect(rounds).toBe(after);
  }, 60_000);

  it("a round that throws does not end the chain", async () => {
    let calls = 0;
    const r = await startRepeating(bosses[0], "test-repeat-fails", {
      everyMs: 100,
      round: async () => {
        calls++;
        throw new Error("round failed on purpose");
      },
    });
    const deadline = Date.now() + 45_000;
    while (calls < 2 && Date.now() < deadline) await sleep(200);
    await r.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("a chain whose waiting job is lost starts again from the minute's kick", async () => {
    let rounds = 0;
    const t0 = Date.now();
    const r = await startRepeating(bosses[0], "test-repeat-lost", { everyMs: 3_600_000, firstAfterMs: 3_600_000, round: async () => void rounds++ });
    // The next round's job waits an hour; it is lost (as a crash between a round and its send would lose it).
    await t.handle.executeSql(`delete from pgboss.job where name = 'test-repeat-lost'`, []);
    // pg-boss's cron fires on the minute, and its monitor looks every 30 s.
    while (rounds < 1 && Date.now() - t0 < 150_000) await sleep(500);
    await r.stop();
    expect(rounds).toBe(1);
  }, 180_000);
});
