import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { createAudienceList } from "@/lib/campaigns/audience-lists";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

async function* chunksOf(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * The OpenID file arrives as the raw request body and is parsed as a stream on the server: the
 * browser never splits it, and the server never holds the whole file.
 */
export const POST = withRouteUser("edit", async (user, req: Request, ctx: { params: Promise<{ accountId: string }> }) => {
  const { accountId } = await ctx.params;
  const t = await getTranslations("audiences");
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) return Response.json({ error: t("error.account") }, { status: 404 });
  const url = new URL(req.url);
  const name = (url.searchParams.get("name") ?? "").trim().slice(0, 80);
  const column = (url.searchParams.get("column") ?? "").trim().slice(0, 64) || null;
  if (!name) return Response.json({ error: t("error.name"), field: "name" }, { status: 400 });
  if (!req.body) return Response.json({ error: t("error.empty"), field: "file" }, { status: 400 });
  const sizeHint = Number(req.headers.get("content-length")) || null;
  const r = await createAudienceList(db, user, accountId, name, chunksOf(req.body), { column, sizeHint });
  if ("error" in r) return Response.json({ error: t("error.column", { column: column ?? "", headers: r.headers.join(", ") }), field: "column" }, { status: 400 });
  return Response.json({ listId: r.listId, report: r.report });
});
