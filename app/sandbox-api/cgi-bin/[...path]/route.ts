import { getDb } from "@/db/client";
import { env } from "@/lib/config/env";
import { handleSandboxRequest } from "@/lib/sandbox";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The simulated WeChat API. It authenticates like WeChat (appid + secret, then access_token), not
// by console session. QUNFA_SANDBOX=off removes it.
async function handle(req: Request): Promise<Response> {
  if (!env.sandboxEnabled) return new Response("not found", { status: 404 });
  return handleSandboxRequest(await getDb(), req);
}

export const GET = handle;
export const POST = handle;
