import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { historyFilterSchema, refusedHistoryDays } from "@/lib/history/filters";
import { historyCsvText } from "@/lib/history/csv-text";
import { refusedDaysMessage } from "@/lib/history/refused-days";
import { listHistory } from "@/lib/history/history";
import { csvResponse, historyCsvStream } from "@/lib/history/csv";

export const dynamic = "force-dynamic";

/** Every account's filtered history as CSV (admins), pulled page by page as the download reads it. */
export const GET = withRouteUser("admin", async (_user, req: Request) => {
  const db = await getDb();
  const sp = Object.fromEntries(new URL(req.url).searchParams);
  const refused = refusedHistoryDays(sp);
  if (refused.length) return new Response(await refusedDaysMessage(refused), { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const parsed = historyFilterSchema.safeParse(sp);
  const filter = parsed.success ? { ...parsed.data, after: undefined } : historyFilterSchema.parse({});
  const stream = historyCsvStream((after) => listHistory(db, null, { ...filter, after }, 500, "Asia/Shanghai"), await historyCsvText());
  return csvResponse(stream, "qunfa-history-all");
});
