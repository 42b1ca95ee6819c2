import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { campaignProgress } from "@/lib/campaigns/progress";

export const dynamic = "force-dynamic";

export const GET = withRouteUser("read", async (_u, _req: Request, ctx: { params: Promise<{ accountId: string; id: string }> }) => {
  const { accountId, id } = await ctx.params;
  const p = await campaignProgress(await getDb(), accountId, id);
  if (!p) return Response.json({ error: "not found" }, { status: 404 });
  return Response.json(p, { headers: { "cache-control": "no-store" } });
});
