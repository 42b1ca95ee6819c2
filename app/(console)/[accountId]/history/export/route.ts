import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { historyFilterSchema, refusedHistoryDays } from "@/lib/history/filters";
import { historyCsvText } from "@/lib/history/csv-text";
import { refusedDaysMessage } from "@/lib/history/refused-days";
import { listHistory } from "@/lib/history/history";
import { csvResponse, historyCsvStream } from "@/lib/history/csv";

export const dynamic = "force-dynamic";

/** The filtered history as CSV, pulled page by page (keyset) as the download reads it. */
export const GET = withRouteUser("read", async (_user, req: Request, ctx: { params: Promise<{ accountId: string }> }) => {
  const { accountId } = await ctx.params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) return new Response("not found", { status: 404 });
  const sp = Object.fromEntries(new URL(req.url).searchParams);
  const refused = refusedHistoryDays(sp);
  if (refused.length) return new Response(await refusedDaysMessage(refused), { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const parsed = historyFilterSchema.safeParse(sp);
  const filter = parsed.success ? { ...parsed.data, after: undefined } : historyFilterSchema.parse({});
  const stream = historyCsvStream((after) => listHistory(db, [accountId], { ...filter, after }, 500, account.timezone), await historyCsvText());
  return csvResponse(stream, `qunfa-history-${accountId}`);
});
