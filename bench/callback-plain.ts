// A reference for bench/callback.ts: the callback route's own handler (lib/callback/handle.ts, the
// same code `next start` runs) behind a bare node:http server on the same PGlite folder, so the
// bench can tell the handler's cost from Next's per-request cost. Not a way to serve qunfa.
// Run by the bench: node --conditions=react-server --import tsx bench/callback-plain.ts <port> <dataDir>
import http from "node:http";
import { openDatabase } from "../db/client";
import { handlePush } from "../lib/callback/handle";

async function main() {
  const [port, dataDir] = [Number(process.argv[2]), process.argv[3]];
  const h = await openDatabase({ dataDir });
  const server = http.createServer((req, res) => {
    const m = /^\/api\/wechat\/callback\/([^/?]+)/.exec(req.url ?? "");
    if (req.method !== "POST" || !m) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const out = await handlePush({ db: h.db }, m[1], new Request(`http://127.0.0.1${req.url}`, { method: "POST", body: Buffer.concat(chunks) }));
      res.writeHead(out.status, { "content-type": "text/plain; charset=utf-8" }).end(await out.text());
    });
  });
  server.listen(port, "127.0.0.1", () => process.send?.("ready"));
  process.on("SIGTERM", () => server.close(() => h.close().then(() => process.exit(0))));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
