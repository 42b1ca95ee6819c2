import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { sandboxFollowers, sandboxJobs } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import {
  advanceSandboxClock,
  resetSandboxClock,
  runDueSandboxJobs,
  sandboxCredentials,
  sandboxInbox,
  sandboxReceivedCount,
  sandboxRecipients,
  seedSandbox,
  setSandboxSettings,
} from "./index";

// WeChat's 高级群发接口 text: a service account's follower receives at most 4 mass messages a
// natural month ("多于4条的群发将对该用户发送失败"), and is_to_all may be used 4 times a month. The
// month's worst job for the sandbox is the 4th is_to_all after a tag send: it must filter exactly
// the tag's members (each at 4 already) and reach everyone else. A database of its own, since the
// month it fills would cap every follower for other tests.
describeEachDriver("sandbox: the month's 4th is_to_all after a tag send", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  const [svc] = sandboxCredentials();
  let base = "";
  let token = "";
  const TAG = 105;

  const post = async (path: string, body: unknown) =>
    (await fetch(`${base}/cgi-bin/${path}?access_token=${token}`, { method: "POST", body: JSON.stringify(body) })).json();
  const text = (content: string) => ({ msgtype: "text", text: { content } });
  const runJobs = async () => {
    advanceSandboxClock(60_000);
    await runDueSandboxJobs(t.handle.db);
  };
  const sendAll = async (filter: unknown, label: string) => {
    const r = await post("message/mass/sendall", { filter, ...text(label), clientmsgid: label });
    expect(r.errcode).toBe(0);
    await runJobs();
    return r.msg_id as number;
  };
  const jobRow = async (id: number) => (await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, id)))[0];

  beforeAll(async () => {
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    base = `${server.url}/sandbox-api`;
    await seedSandbox(t.handle.db, { followers: 400 });
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000 });
    token = (await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).json()).access_token;
  });
  afterEach(() => resetSandboxClock());
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  it("filters exactly the tag's members from the 4th is_to_all; then everyone is at 4", async () => {
    const all = (await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)))
      .map((r) => r.o)
      .sort();
    const members = (
      (await t.handle.db.execute(sql`select openid from sandbox_tag_members where appid = ${svc.appid} and tag_id = ${TAG} order by openid`)) as unknown as {
        rows: { openid: string }[];
      }
    ).rows.map((r) => r.openid);
    const others = all.filter((o) => !members.includes(o));
    expect(members.length).toBeGreaterThan(50);
    expect(others.length).toBeGreaterThan(50);

    const tagJob = await sendAll({ is_to_all: false, tag_id: TAG }, "tag");
    expect(await sandboxRecipients(t.handle.db, tagJob)).toEqual(members);
    const toAll: number[] = [];
    for (let i = 1; i <= 3; i++) toAll.push(await sendAll({ is_to_all: true }, `all-${i}`));
    for (const id of toAll) expect(await sandboxRecipients(t.handle.db, id)).toEqual(all);

    // The 4th: the tag's members have 4 (the tag send and three is_to_all), the others 3.
    const fourth = await sendAll({ is_to_all: true }, "all-4");
    expect(await sandboxRecipients(t.handle.db, fourth)).toEqual(others);
    expect(await jobRow(fourth)).toMatchObject({ totalCount: all.length, filterCount: others.length, sentCount: others.length, errorCount: 0 });
    const month = new Date(Date.now() - 40 * 24 * 3600_000);
    for (const o of [members[0], members[members.length - 1], others[0], others[others.length - 1]]) {
      expect(await sandboxReceivedCount(t.handle.db, svc.appid, o, { since: month })).toBe(4);
    }
    expect((await sandboxInbox(t.handle.db, svc.appid, members[0]))!.messages.map((m) => m.msgId).sort((a, b) => a - b)).toEqual([tagJob, ...toAll]);
    expect((await sandboxInbox(t.handle.db, svc.appid, others[0]))!.messages.map((m) => m.msgId).sort((a, b) => a - b)).toEqual([...toAll, fourth]);

    // Everyone is at 4: a further tag send, and an OpenID-list send, reach nobody.
    const again = await sendAll({ is_to_all: false, tag_id: 101 }, "tag-again");
    expect(await sandboxRecipients(t.handle.db, again)).toEqual([]);
    expect(await jobRow(again)).toMatchObject({ sentCount: 0, filterCount: 0 });
    const list = await post("message/mass/send", { touser: [members[1], others[1]], ...text("list"), clientmsgid: "list" });
    expect(list.errcode).toBe(0);
    await runJobs();
    expect(await sandboxRecipients(t.handle.db, list.msg_id)).toEqual([]);
  });
});
