import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { historyFilterSchema } from "@/lib/history/filters";
import { listHistory } from "@/lib/history/history";
import { csvResponse, historyCsvStream } from "@/lib/history/csv";

export const dynamic = "force-dynamic";

/** Every account's filtered history as CSV (admins), pulled page by page as the download reads it. */
export const GET = withRouteUser("admin", async (_user, req: Request) => {
  const db = await getDb();
  const parsed = historyFilterSchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  const filter = parsed.success ? { ...parsed.data, after: undefined } : historyFilterSchema.parse({});
  const stream = historyCsvStream((after) => listHistory(db, null, { ...filter, after }, 500, "Asia/Shanghai"));
  return csvResponse(stream, "qunfa-history-all");
});
