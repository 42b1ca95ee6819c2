import { getDb } from "@/db/client";
import { env } from "@/lib/config/env";
import { handleSandboxRequest } from "@/lib/sandbox";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The simulated WeChat API. It authenticates like WeChat (appid + secret, then access_token), not
// by console session. QUNFA_SANDBOX=off removes it.
async function handle(req: Request): Promise<Response> {
  if (!env.sandboxEnabled) return new Response("not found", { status: 404 });
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
