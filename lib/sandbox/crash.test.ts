import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { eq } from "drizzle-orm";
import { sandboxFollowers, sandboxJobs } from "@/db/schema";
import { createTestDb, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { sandboxCredentials, sandboxRecipients, seedSandbox, setSandboxSettings } from "./index";

// The runner is killed in a process of its own and a new process resumes its job. Two processes
// share one database only through PostgreSQL (an embedded PGlite folder is opened by one process
// at a time, and the blocking session below needs a second connection while the runner works),
// so this runs on the PostgreSQL pass (TEST_DATABASE_URL, set by .ci/run).
const onPg = !!process.env.TEST_DATABASE_URL;
const APP = "qunfa-sandbox-crash-test";
const N = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!onPg)("a sandbox runner killed with SIGKILL mid-delivery [pg]", () => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  const [svc] = sandboxCredentials();
  const runners: ChildProcess[] = [];
  const blockers: pg.Client[] = [];

  /** Starts a runner process; `log` collects what it writes (its warnings name resumed jobs). */
  function startRunner(log: string[] = []): Promise<ChildProcess> {
    const w = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/support/sandbox-runner-process.ts"], {
      cwd: process.cwd(),
      // Every connection of the runner carries this name, so the test can watch its session.
      env: { ...process.env, DATABASE_URL: t.url!, PGAPPNAME: APP, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    runners.push(w);
    w.stderr!.on("data", (d: Buffer) => {
      log.push(String(d));
      if (process.env.DEBUG_WORKERS) process.stderr.write(d);
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the runner did not start")), 60_000);
      w.stdout!.on("data", (d: Buffer) => {
        if (String(d).includes("runner started")) {
          clearTimeout(timer);
          resolve(w);
        }
      });
      w.once("exit", (code) => reject(new Error(`the runner exited (${code})`)));
    });
  }
  const kill = async (w: ChildProcess) => {
    if (w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise((r) => w.once("exit", r));
    w.kill("SIGKILL");
    await exited;
  };

  beforeAll(async () => {
    t = await createTestDb("pg");
    server = await startTestServer(t.handle.db);
    await seedSandbox(t.handle.db, { followers: N + 500 });
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 100_000, dailyLimit: 100_000 });
  }, 120_000);
  afterAll(async () => {
    for (const w of runners) await kill(w);
    for (const b of blockers) await b.end().catch(() => undefined);
    await server?.close();
    await t?.dispose();
  });

  it("a job of 10 000 recipients interrupted inside its delivery is completed by the next runner, each recipient once", async () => {
    const base = `${server.url}/sandbox-api`;
    const token = (await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).json()).access_token;
    const openids = (
      await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)).orderBy(sandboxFollowers.seq)
    ).map((r) => r.o);
    const touser = openids.slice(0, N);
    // Due at once (sandbox time scale 0), so the runner takes it on its first round.
    process.env.SANDBOX_TIME_SCALE = "0";
    const sent = await (
      await fetch(`${base}/cgi-bin/message/mass/send?access_token=${token}`, {
        method: "POST",
        body: JSON.stringify({ touser, msgtype: "text", text: { content: "kill me" }, clientmsgid: "sb-crash" }),
      })
    ).json();
    delete process.env.SANDBOX_TIME_SCALE;
    expect(sent.errcode).toBe(0);
    const msgId = Number(sent.msg_id);

    // A session of the test's own holds, uncommitted, the delivery row of the recipient in the
    // middle of the list: the runner's INSERT … SELECT (which writes the recipients in key order)
    // writes about half of them, then waits on that row inside its delivery transaction. That is
    // where it is killed: mid-delivery, deterministically, whatever the machine's load.
    const middle = [...touser].sort()[N / 2];
    const blocker = new pg.Client({ connectionString: t.url });
    await blocker.connect();
    blockers.push(blocker);
    await blocker.query("begin");
    await blocker.query("insert into sandbox_list_deliveries (msg_id, appid, openid, preview, at) values ($1, $2, $3, false, now())", [
      msgId,
      svc.appid,
      middle,
    ]);

    const first = await startRunner();
    const blockerPid = (await blocker.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid;
    // The runner's session waits for the test's row: it is inside the delivery statement.
    const waiting = async () =>
      (await t.handle.pool!.query("select 1 from pg_stat_activity where application_name = $1 and $2 = any(pg_blocking_pids(pid))", [APP, blockerPid]))
        .rowCount! > 0;
    const until = Date.now() + 60_000;
    while (!(await waiting())) {
      if (Date.now() > until) {
        throw new Error("the runner never reached the delivery");
      }
      await sleep(50);
    }
    const [claimed] = await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, msgId));
    expect(claimed.status).toBe("RUNNING");
    // The job's claim is leased for a minute ahead: only a start-up recovery brings it back soon.
    expect(claimed.dueAt.getTime()).toBeGreaterThan(Date.now() + 30_000);

    await kill(first);
    const killedAt = Date.now();
    await blocker.query("rollback");

    // Nothing of the killed runner's delivery survived, and the job is still RUNNING.
    const partial = await t.handle.pool!.query<{ n: number }>("select count(*)::int as n from sandbox_list_deliveries where msg_id = $1", [msgId]);
    expect(partial.rows[0].n).toBe(0);

    const log: string[] = [];
    await startRunner(log);
    // Bound: a new process starting (tsx compiling under load) plus one delivery of 10 000 rows,
    // and well short of the claim's one-minute lease, after which a periodic recovery would have
    // requeued it anyway: the job is resumed by the new runner's start-up recovery.
    const done = Date.now() + 45_000;
    let job = claimed;
    while (Date.now() < done) {
      [job] = await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, msgId));
      if (job.status === "SEND_SUCCESS") break;
      await sleep(100);
    }
    const resumedMs = Date.now() - killedAt;
    console.log(`[sandbox crash] job of ${N}: ${job.status} ${resumedMs} ms after the kill`);
    expect(job.status).toBe("SEND_SUCCESS");
    expect(resumedMs).toBeLessThan(45_000);
    expect(log.join("")).toContain("resumed 1 interrupted job(s)");
    expect([job.totalCount, job.filterCount, job.sentCount, job.errorCount]).toEqual([N, N, N, 0]);
    const got = await sandboxRecipients(t.handle.db, msgId);
    expect(got).toHaveLength(N);
    expect(got).toEqual([...touser].sort());
    const rows = await t.handle.pool!.query<{ n: number; people: number }>(
      "select count(*)::int as n, count(distinct openid)::int as people from sandbox_list_deliveries where msg_id = $1",
      [msgId],
    );
    expect(rows.rows[0]).toEqual({ n: N, people: N });
    const status = await (
      await fetch(`${base}/cgi-bin/message/mass/get?access_token=${token}`, { method: "POST", body: JSON.stringify({ msg_id: msgId }) })
    ).json();
    expect(status.msg_status).toBe("SEND_SUCCESS");
  }, 180_000);
});
