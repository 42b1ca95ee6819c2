import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@/db/client";
import { handleSandboxRequest } from "@/lib/sandbox";
import { handlePush, handleVerify } from "@/lib/callback/handle";

/**
 * The console's two HTTP faces in a test, over real HTTP: the sandbox API under /sandbox-api and
 * the callback route under /api/wechat/callback/:id, both the same handlers the Next routes call.
 * A body that fails mid-stream (the sandbox's "dropped connection") destroys the socket.
 */
export async function startTestServer(db: Db): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const url = `http://${req.headers.host}${req.url}`;
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      });
      let response: Response;
      const cb = /^\/api\/wechat\/callback\/([^/?]+)/.exec(req.url ?? "");
      if (cb) response = req.method === "GET" ? await handleVerify({ db }, cb[1], new URL(url)) : await handlePush({ db }, cb[1], request);
      else if ((req.url ?? "").startsWith("/sandbox-api/")) response = await handleSandboxRequest(db, request);
      else response = new Response("not found", { status: 404 });
      let payload: Buffer;
      try {
        payload = Buffer.from(await response.arrayBuffer());
      } catch {
        req.socket.destroy();
        return;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(payload);
    } catch (e) {
      res.writeHead(500);
      res.end(String((e as Error).message));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
