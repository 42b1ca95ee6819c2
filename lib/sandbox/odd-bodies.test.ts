import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { sandboxCredentials, seedSandbox, setSandboxSettings } from "./index";

// WeChat answers every request with JSON and an errcode, whatever the body. Every endpoint of the
// simulated API gets bodies a client should never send — not JSON, empty, scalars, arrays, null,
// and each field it reads set to a wrong type, NaN, a huge number — in parallel, and must answer
// HTTP 200 with JSON carrying a non-zero errcode (never an empty 500).
describeEachDriver("sandbox API: odd bodies", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  const [svc] = sandboxCredentials();
  let base = "";
  let token = "";

  beforeAll(async () => {
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    base = `${server.url}/sandbox-api`;
    await seedSandbox(t.handle.db, { followers: 50 });
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 1_000_000, dailyLimit: 1_000_000 });
    token = (await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).json()).access_token;
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  /** Every POST endpoint and the body fields it reads. */
  const ENDPOINTS: Record<string, string[]> = {
    stable_token: ["grant_type", "appid", "secret", "force_refresh"],
    "media/uploadnews": ["articles"],
    "media/uploadvideo": ["media_id", "title", "description"],
    "user/tag/get": ["tagid", "next_openid"],
    "message/mass/sendall": ["filter", "msgtype", "text", "mpnews", "images", "clientmsgid", "send_ignore_reprint"],
    "message/mass/send": ["touser", "msgtype", "text", "clientmsgid"],
    "message/mass/preview": ["touser", "towxname", "msgtype", "text", "image", "mpnews"],
    "message/mass/delete": ["msg_id", "article_idx", "url"],
    "message/mass/get": ["msg_id"],
    "message/mass/speed/set": ["speed"],
    "media/upload": [],
    "material/add_material": [],
    "media/uploadimg": [],
  };
  const RAW = ["", "not json", "{", "null", "[]", "[1,2]", '"str"', "123", "true", "{}", '{"a":', "\u0000"];
  const ODD: unknown[] = [
    null,
    "NaN",
    "abc",
    1e308,
    -1,
    0,
    1.5,
    9007199254740993,
    "99999999999999999999",
    true,
    [],
    [null],
    {},
    { a: null },
    "x".repeat(5000),
    [{ title: null }],
  ];
  // Values of a field that are odd where the field is a number or an object (a string is a valid name or text).
  const bodies = (fields: string[]) => [
    ...RAW,
    // speed 0 is a valid speed (speed/set answers 0 "ok" to it).
    ...fields.flatMap((f) => ODD.filter((v) => !(f === "speed" && v === 0)).map((v) => JSON.stringify({ [f]: v }))),
    ...fields.flatMap((f) => [JSON.stringify({ [f]: { [f]: "NaN" }, msgtype: "text", text: null, filter: { tag_id: "NaN" } })]),
    JSON.stringify({ filter: { is_to_all: false, tag_id: 1e30 }, msgtype: "text", text: { content: "x" } }),
    JSON.stringify({ filter: { is_to_all: false, tag_id: 99999999999 }, msgtype: "text", text: { content: "x" } }),
    JSON.stringify({ msg_id: 1e30 }),
    JSON.stringify({ msg_id: "12abc" }),
    JSON.stringify({ url: "/sandbox-api/s/99999999999999999999999/1" }),
    JSON.stringify({ tagid: "NaN" }),
    JSON.stringify({ tagid: 3e9 }),
    JSON.stringify({ articles: [null] }),
    JSON.stringify({ articles: [1, "x"] }),
    JSON.stringify({ touser: "abc", msgtype: "text", text: { content: "x" } }),
  ];

  it("every endpoint answers every odd body with HTTP 200, JSON and a non-zero errcode", async () => {
    const failures: string[] = [];
    const cases = Object.entries(ENDPOINTS).flatMap(([path, fields]) => bodies(fields).map((body) => ({ path, body })));
    expect(cases.length).toBeGreaterThan(400);
    for (let i = 0; i < cases.length; i += 25) {
      await Promise.all(
        cases.slice(i, i + 25).map(async ({ path, body }) => {
          const res = await fetch(`${base}/cgi-bin/${path}?access_token=${token}&type=image`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json" },
          });
          const text = await res.text();
          let j: { errcode?: unknown } | null = null;
          try {
            j = JSON.parse(text);
          } catch {
            /* reported below */
          }
          if (res.status !== 200 || !j || typeof j.errcode !== "number" || j.errcode === 0)
            failures.push(`${path} ${body.slice(0, 80)} → ${res.status} ${text.slice(0, 120)}`);
        }),
      );
    }
    expect(failures).toEqual([]);
  });

  it("malformed JSON is 47001, an empty body 44002, a missing or non-numeric msg_id/tagid 47001 naming the field", async () => {
    const post = async (path: string, body: string) => (await fetch(`${base}/cgi-bin/${path}?access_token=${token}`, { method: "POST", body })).json();
    expect((await post("message/mass/get", "{")).errcode).toBe(47001);
    expect((await post("message/mass/get", "")).errcode).toBe(44002);
    expect(await post("message/mass/get", "{}")).toEqual({ errcode: 47001, errmsg: "data format error hint: [msg_id]" });
    expect((await post("message/mass/get", '{"msg_id":"abc"}')).errcode).toBe(47001);
    expect((await post("message/mass/get", '{"msg_id":123456789}')).errcode).toBe(40059);
    expect(await post("user/tag/get", "{}")).toEqual({ errcode: 47001, errmsg: "data format error hint: [tagid]" });
    expect((await post("user/tag/get", '{"tagid":"110"}')).count).toBeGreaterThan(0);
    expect((await post("stable_token", "[]")).errcode).toBe(47001);
    // Tokens and unknown paths still answer as before.
    expect((await post("message/mass/nope", "{}")).errcode).toBe(48001);
    expect((await (await fetch(`${base}/cgi-bin/tags/get`)).json()).errcode).toBe(41001);
  });
});
