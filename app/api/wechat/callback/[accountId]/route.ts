import { getDb } from "@/db/client";
import { handlePush, handleVerify } from "@/lib/callback/handle";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// WeChat's server URL for one account. No session: every request is authenticated by the
// account's token signature (and, in safe mode, msg_signature + AES) before it is read.
type Ctx = { params: Promise<{ accountId: string }> };

// Informational only (shown to admins beside refusals): a proxy's x-real-ip, else the first
// x-forwarded-for hop, which `next start` sets from the socket when no proxy did.
const remoteOf = (req: Request) => req.headers.get("x-real-ip") ?? req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null;

export async function GET(req: Request, ctx: Ctx) {
  const { accountId } = await ctx.params;
  return handleVerify({ db: await getDb(), remote: remoteOf(req) }, accountId, new URL(req.url));
}

export async function POST(req: Request, ctx: Ctx) {
  const { accountId } = await ctx.params;
  return handlePush({ db: await getDb(), remote: remoteOf(req) }, accountId, req);
}
