import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { campaignLive } from "@/lib/campaigns/campaign-live";

export const dynamic = "force-dynamic";

export const GET = withRouteUser("read", async (_u, _req: Request, ctx: { params: Promise<{ accountId: string; id: string }> }) => {
  const { accountId, id } = await ctx.params;
  // The send's progress and, as MASSSENDJOBFINISH pushes arrive, its results (live on the page).
  const live = await campaignLive(await getDb(), accountId, id);
  if (!live) return Response.json({ error: (await getTranslations("campaigns"))("error.notFound") }, { status: 404 });
  return Response.json(live, { headers: { "cache-control": "no-store" } });
});
