import { afterAll, beforeAll, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { sandboxFollowers, sandboxJobs } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { runDueSandboxJobs, sandboxCredentials, sandboxRecipients, seedSandbox, setSandboxSettings, startSandboxRunner } from "./index";
import { JOB_LEASE_MS, recoverSandboxJobs } from "./runner";

// A sandbox job interrupted between its claim and its completion (the process killed, or the
// completing transaction failed on a database error) must be delivered later, once, exactly as
// WeChat finishes every accepted job: at the runner's start and, while it runs, when the claim's
// lease has run out.
describeEachDriver("sandbox job recovery", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  const [svc] = sandboxCredentials();
  let base = "";
  let token = "";
  let openids: string[] = [];

  const post = async (path: string, body: unknown) =>
    (await fetch(`${base}/cgi-bin/${path}?access_token=${token}`, { method: "POST", body: JSON.stringify(body) })).json();
  const text = (content: string) => ({ msgtype: "text", text: { content } });
  const job = async (id: number) => (await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, id)))[0];
  /** What a crash leaves: the claim committed (RUNNING, lease ahead), the completing transaction rolled back. */
  const crashMidJob = async (ids: number[], leaseFromNow = JOB_LEASE_MS) => {
    await t.handle.db
      .update(sandboxJobs)
      .set({ status: "RUNNING", dueAt: new Date(Date.now() + leaseFromNow) })
      .where(inArray(sandboxJobs.msgId, ids));
    await t.handle.db
      .transaction(async (tx) => {
        for (const id of ids)
          await tx.execute(
            sql`insert into sandbox_list_deliveries (msg_id, appid, openid, preview, at) values (${id}, ${svc.appid}, ${openids[0]}, false, now())`,
          );
        throw new Error("killed");
      })
      .catch(() => undefined);
  };
  const waitFor = async (ids: number[], ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const rows = await t.handle.db.select({ s: sandboxJobs.status }).from(sandboxJobs).where(inArray(sandboxJobs.msgId, ids));
      if (rows.every((r) => r.s === "SEND_SUCCESS")) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  beforeAll(async () => {
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    base = `${server.url}/sandbox-api`;
    await seedSandbox(t.handle.db, { followers: 300 });
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000 });
    openids = (
      await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)).orderBy(sandboxFollowers.seq)
    ).map((r) => r.o);
    token = (await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).json()).access_token;
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  it("a job left RUNNING by a killed process is delivered when the runner starts again, once per recipient", async () => {
    const list = await post("message/mass/send", { touser: openids.slice(0, 120), ...text("list crash"), clientmsgid: "rec-list" });
    const tagged = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("tag crash"), clientmsgid: "rec-tag" });
    expect([list.errcode, tagged.errcode]).toEqual([0, 0]);
    const ids = [list.msg_id as number, tagged.msg_id as number];
    await crashMidJob(ids);
    const members = (await post("user/tag/get", { tagid: 110 })).data.openid as string[];

    const stop = startSandboxRunner(t.handle.db, 20);
    try {
      expect(await waitFor(ids, 5_000)).toBe(true);
    } finally {
      stop();
    }
    const [l, g] = [await job(ids[0]), await job(ids[1])];
    expect([l.sentCount, l.filterCount, l.errorCount, l.totalCount]).toEqual([120, 120, 0, 120]);
    expect(g.sentCount).toBe(members.length);
    const got = await sandboxRecipients(t.handle.db, ids[0]);
    expect(got).toEqual([...openids.slice(0, 120)].sort());
    expect(new Set(got).size).toBe(got.length);
    expect(await sandboxRecipients(t.handle.db, ids[1])).toEqual([...members].sort());
    expect((await post("message/mass/get", { msg_id: ids[0] })).msg_status).toBe("SEND_SUCCESS");
  });

  it("while the runner runs, a claim whose lease ran out (its runner died) is requeued and completed", async () => {
    const r = { msg_id: 0 };
    const stop = startSandboxRunner(t.handle.db, 20, { recoveryEveryMs: 100 });
    try {
      // The runner has started (and done its start-up recovery) before the other process "dies".
      await new Promise((res) => setTimeout(res, 200));
      // Due far ahead, so that only the other (dead) runner could have claimed it.
      process.env.SANDBOX_TIME_SCALE = "10000";
      const sent = await post("message/mass/send", { touser: openids.slice(100, 150), ...text("lease"), clientmsgid: "rec-lease" });
      delete process.env.SANDBOX_TIME_SCALE;
      expect(sent.errcode).toBe(0);
      r.msg_id = sent.msg_id;
      await crashMidJob([r.msg_id], -1);
      expect(await waitFor([r.msg_id], 5_000)).toBe(true);
    } finally {
      stop();
    }
    expect(await sandboxRecipients(t.handle.db, r.msg_id)).toEqual([...openids.slice(100, 150)].sort());
    expect((await job(r.msg_id)).sentCount).toBe(50);
  });

  it("a claim still within its lease is left to its runner; a job completed by two runners delivers once", async () => {
    const r = await post("message/mass/send", { touser: openids.slice(200, 260), ...text("twice"), clientmsgid: "rec-twice" });
    await crashMidJob([r.msg_id]);
    expect(await recoverSandboxJobs(t.handle.db)).toBe(0);
    expect((await job(r.msg_id)).status).toBe("RUNNING");
    // Two runners race on the requeued job (and a third round finds nothing to do).
    expect(await recoverSandboxJobs(t.handle.db, { all: true })).toBe(1);
    const done = await Promise.all([runDueSandboxJobs(t.handle.db), runDueSandboxJobs(t.handle.db), runDueSandboxJobs(t.handle.db)]);
    expect(done.reduce((a, b) => a + b, 0)).toBe(1);
    const j = await job(r.msg_id);
    expect([j.status, j.sentCount, j.filterCount]).toEqual(["SEND_SUCCESS", 60, 60]);
    const rows = (await t.handle.db.execute(sql`select count(*)::int as n from sandbox_list_deliveries where msg_id = ${r.msg_id}`)) as unknown as {
      rows: { n: number }[];
    };
    expect(Number(rows.rows[0].n)).toBe(60);
  });
});
