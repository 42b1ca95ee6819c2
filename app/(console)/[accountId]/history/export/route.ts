import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { historyFilterSchema } from "@/lib/history/filters";
import { listHistory } from "@/lib/history/history";
import { CSV_COLUMNS, csvRow } from "@/lib/history/csv";

export const dynamic = "force-dynamic";

/** The filtered history as CSV, streamed page by page (keyset), so a big export holds one page in memory. */
export const GET = withRouteUser("read", async (_user, req: Request, ctx: { params: Promise<{ accountId: string }> }) => {
  const { accountId } = await ctx.params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) return new Response("not found", { status: 404 });
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = historyFilterSchema.safeParse(params);
  const filter = parsed.success ? { ...parsed.data, after: undefined } : historyFilterSchema.parse({});
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // BOM: spreadsheet programs read the Chinese names as UTF-8.
      controller.enqueue(enc.encode("\uFEFF" + CSV_COLUMNS.join(",") + "\r\n"));
      let after: string | undefined;
      try {
        for (;;) {
          const page = await listHistory(db, [accountId], { ...filter, after }, 500, account.timezone);
          if (page.rows.length) controller.enqueue(enc.encode(page.rows.map(csvRow).join("\r\n") + "\r\n"));
          if (!page.next) break;
          after = page.next;
        }
        controller.close();
      } catch (e) {
        controller.error(e);
      }
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="qunfa-history-${accountId}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
