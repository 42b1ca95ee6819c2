import { getDb } from "@/db/client";
import { env } from "@/lib/config/env";
import { BodyTooLargeError, readBodyLimited, sandboxBodyLimit, withBody } from "@/lib/http/body-limit";
import { handleSandboxRequest } from "@/lib/sandbox";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The simulated WeChat API. It authenticates like WeChat (appid + secret, then access_token), not
// by console session. QUNFA_SANDBOX=off removes it.
async function handle(req: Request): Promise<Response> {
  if (!env.sandboxEnabled) return new Response("not found", { status: 404 });
  if (req.method === "POST") {
    // WeChat's size limit for the endpoint, enforced while the body arrives (anonymous callers too).
    const url = new URL(req.url);
    const path = url.pathname.slice(url.pathname.indexOf("/cgi-bin/") + "/cgi-bin/".length).replace(/\/$/, "");
    const limit = sandboxBodyLimit(path, url.searchParams.get("type"));
    try {
      req = withBody(req, await readBodyLimited(req, limit.bytes));
    } catch (e) {
      if (!(e instanceof BodyTooLargeError)) throw e;
      return Response.json(
        limit.media
          ? { errcode: 40006, errmsg: `invalid media size: larger than ${limit.bytes} bytes` }
          : { errcode: 45002, errmsg: `content size out of limit: larger than ${limit.bytes} bytes` },
        { status: 413 },
      );
    }
  }
  try {
    return await handleSandboxRequest(await getDb(), req);
  } catch (e) {
    // WeChat answers every request with JSON and an errcode; an unforeseen failure (the database
    // not reachable) is its -1 "system error", logged, never an empty HTTP 500.
    console.error("[qunfa] sandbox API route:", (e as Error).message);
    return Response.json({ errcode: -1, errmsg: "system error" });
  }
}

export const GET = handle;
export const POST = handle;
