import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { campaignResults } from "@/lib/callback/results";
import { campaignProgress } from "@/lib/campaigns/progress";

export const dynamic = "force-dynamic";

export const GET = withRouteUser("read", async (_u, _req: Request, ctx: { params: Promise<{ accountId: string; id: string }> }) => {
  const { accountId, id } = await ctx.params;
  const db = await getDb();
  // The send's progress and, as MASSSENDJOBFINISH pushes arrive, its results (live on the page).
  const [p, results] = await Promise.all([campaignProgress(db, accountId, id), campaignResults(db, accountId, id)]);
  if (!p || !results) return Response.json({ error: (await getTranslations("campaigns"))("error.notFound") }, { status: 404 });
  return Response.json({ ...p, results }, { headers: { "cache-control": "no-store" } });
});
