import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { expectAccessible, sandboxAccount, signInAsAdmin } from "./fixtures";

const MB = 1024 * 1024;
const port = Number(process.env.E2E_PORT || 3100);

interface Sent {
  status: number;
  body: string;
  /** bytes of the body written before the answer came (or the connection ended) */
  sent: number;
  ms: number;
}

/**
 * POSTs `total` bytes as fast as the server takes them, and stops writing as soon as it answers.
 * With `declare`, Content-Length says the full size; without, the body is chunked (no length).
 */
function rawPost(urlPath: string, total: number, o: { declare: boolean; cookie?: string; headers?: Record<string, string> }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { ...o.headers };
    if (o.cookie) headers.cookie = o.cookie;
    if (o.declare) headers["content-length"] = String(total);
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method: "POST", headers });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, sent, ms: Date.now() - t0 });
        req.destroy();
      });
    });
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** The resident memory of the process listening on the e2e port, in MB (from /proc). */
function serverRssMb(): number {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on ${port}: ${out}`);
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function cookieOf(page: Page) {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

test("every route refuses a body over its limit with 413, from Content-Length, before reading it", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const cookie = await cookieOf(page);
  const sig = "signature=" + "0".repeat(40) + "&timestamp=" + Math.floor(Date.now() / 1000) + "&nonce=1";
  const cases: [string, string, number, boolean, RegExp][] = [
    // [label, path, declared size, needs the session, what the refusal says]
    ["sandbox stable_token (anonymous)", "/sandbox-api/cgi-bin/stable_token", 200 * MB, false, /"errcode":45002/],
    ["sandbox media/upload thumb", "/sandbox-api/cgi-bin/media/upload?type=thumb&access_token=x", 1 * MB, false, /"errcode":40006/],
    ["sandbox material/add_material voice", "/sandbox-api/cgi-bin/material/add_material?type=voice&access_token=x", 3 * MB, false, /"errcode":40006/],
    ["sandbox uploadimg", "/sandbox-api/cgi-bin/media/uploadimg?access_token=x", 2 * MB, false, /"errcode":40006/],
    ["sandbox uploadnews", "/sandbox-api/cgi-bin/media/uploadnews?access_token=x", 20 * MB, false, /"errcode":45002/],
    ["callback push", `/api/wechat/callback/${accountId}?${sig}`, 200 * MB, false, /too-large/],
    ["news draft save", `/${accountId}/news/d1/save`, 200 * MB, true, /64 KB/],
    ["media upload (voice)", `/${accountId}/media/upload?kind=voice&storage=temporary&filename=a.mp3`, 200 * MB, true, /2 MB/],
    ["media upload (image)", `/${accountId}/media/upload?kind=image&storage=permanent&filename=a.png`, 200 * MB, true, /60 MB/],
    ["audience upload", `/${accountId}/audiences/upload?name=big`, 300 * MB, true, /256 MB/],
  ];
  const results = await Promise.all(cases.map(([, p, size, auth]) => rawPost(p, size, { declare: true, cookie: auth ? cookie : undefined })));
  cases.forEach(([label, , size, , says], i) => {
    const r = results[i];
    expect(r.status, label).toBe(413);
    expect(r.body, label).toMatch(says);
    // Refused from the header: of a large body, far less was sent than declared (socket buffers
    // at most), and the answer came at once. (A small one fits in the buffers whole.)
    if (size >= 100 * MB) {
      expect(r.sent, label).toBeLessThan(16 * MB);
      expect(r.ms, label).toBeLessThan(10_000);
    }
  });
  // In the user's language (zh-CN by default).
  expect(results[6].body).toContain("此草稿超过 64 KB");
  expect(results[7].body).toContain("文件超过 2 MB");
});

test("a chunked body (no Content-Length) is cut off at the limit; the server's memory does not take the body in", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const cookie = await cookieOf(page);
  const before = serverRssMb();
  const cases: [string, string, boolean, number][] = [
    ["sandbox stable_token (anonymous)", "/sandbox-api/cgi-bin/stable_token", false, 1],
    ["news draft save", `/${accountId}/news/d1/save`, true, 0.0625],
    ["media upload (image, 60 MB limit)", `/${accountId}/media/upload?kind=image&storage=permanent&filename=a.png`, true, 60],
  ];
  let peak = before;
  for (const [label, p, auth, limitMb] of cases) {
    const watch = setInterval(() => (peak = Math.max(peak, serverRssMb())), 100);
    const r = await rawPost(p, 200 * MB, { declare: false, cookie: auth ? cookie : undefined }).finally(() => clearInterval(watch));
    expect(r.status, label).toBe(413);
    // What went out before the answer: the limit and what sockets buffer, never the 200 MB.
    expect(r.sent, label).toBeLessThan(limitMb * MB + 24 * MB);
  }
  const after = serverRssMb();
  console.log(`server RSS: before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB (three 200 MB chunked bodies)`);
  // The image upload goes to a temporary file, not memory: the peak stays far below one body's size.
  expect(peak - before).toBeLessThan(100);
});

test("an anonymous server action with a 10 MB body is refused while it is read", async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === "signInAction")?.[0];
  expect(id).toBeTruthy();
  const headers = { "next-action": id!, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" };
  const before = serverRssMb();
  const [declared, chunked] = await Promise.all([
    rawPost("/sign-in", 10 * MB + 1, { declare: true, headers }),
    rawPost("/sign-in", 200 * MB, { declare: false, headers }),
  ]);
  for (const r of [declared, chunked]) {
    expect(r.status).toBeGreaterThanOrEqual(400);
    // Next stops reading at the 9 MB limit: the rest of a 200 MB body is never taken.
    expect(r.sent).toBeLessThan(9 * MB + 24 * MB);
  }
  expect(serverRssMb() - before).toBeLessThan(100);
});

test("an empty list and a one-OpenID list are refused at upload, saying why, and cannot be chosen", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await page.goto(`/${accountId}/audiences`);
  await expectAccessible(page);
  const files: [string, string, RegExp][] = [
    ["空名单-e2e", "", /没有有效的 OpenID.*至少需要 2 个/],
    ["单个名单-e2e", "oQf0123456789abcdefghijklmno\n", /只有 1 个有效的 OpenID.*至少需要 2 个/],
  ];
  for (const [name, text, says] of files) {
    await page.getByLabel("名单名称").fill(name);
    await page.getByLabel("文件（CSV 或 TXT）").setInputFiles({ name: "openids.txt", mimeType: "text/plain", buffer: Buffer.from(text) });
    await page.getByRole("button", { name: "上传并检查" }).click();
    // The refusal sits at the file field and names the rule; no green report.
    const field = page.locator("#list-file");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText(says)).toBeVisible();
    await expect(page.getByTestId("import-report")).toHaveCount(0);
    // What the person typed is kept.
    await expect(page.getByLabel("名单名称")).toHaveValue(name);
    await expectAccessible(page);
  }
  await page.reload();
  for (const [name] of files) await expect(page.getByRole("cell", { name })).toHaveCount(0);
  await page.goto(`/${accountId}/campaigns/new`);
  const options = await page.locator("#audience-listId option").allTextContents();
  for (const [name] of files) expect(options.join("|")).not.toContain(name);

  // Two OpenIDs are a list.
  await page.goto(`/${accountId}/audiences`);
  await page.getByLabel("名单名称").fill("两人名单-e2e");
  await page
    .getByLabel("文件（CSV 或 TXT）")
    .setInputFiles({ name: "two.txt", mimeType: "text/plain", buffer: Buffer.from("oQf0123456789abcdefghijklmno\noQf0123456789abcdefghijklmnp\n") });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("import-report")).toContainText("有效 2 个");
  await expect(page.getByRole("cell", { name: "两人名单-e2e" })).toBeVisible();
});

test("a UTF-16 OpenID file is refused with how to save it, in English too", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: `http://127.0.0.1:${port}` }]);
  await page.goto(`/${accountId}/audiences`);
  await page.getByLabel("List name").fill("utf16-e2e");
  const text = "\uFEFFoQf0123456789abcdefghijklmno\r\noQf0123456789abcdefghijklmnp\r\n";
  await page.getByLabel("File (CSV or TXT)").setInputFiles({ name: "u16.txt", mimeType: "text/plain", buffer: Buffer.from(text, "utf16le") });
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByText(/saved as UTF-16\. Save it as UTF-8/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "utf16-e2e" })).toHaveCount(0);
});
