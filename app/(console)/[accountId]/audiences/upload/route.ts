import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { MAX_LIST, MAX_LINE } from "@/lib/audiences/import";
import { createAudienceList } from "@/lib/audiences/lists";
import { BODY_LIMITS, BodyTooLargeError, formatBodyLimit, limitedChunks } from "@/lib/http/body-limit";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The OpenID file arrives as the raw request body and is parsed as a stream on the server: the
 * browser never splits it, and the server never holds the whole file. The body is cut off at its
 * limit; a refused list (too few, too many, UTF-16) is not stored.
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
  const limit = BODY_LIMITS.audienceUpload;
  const sizeHint = Number(req.headers.get("content-length")) || null;
  let r: Awaited<ReturnType<typeof createAudienceList>>;
  try {
    r = await createAudienceList(db, user, accountId, name, limitedChunks(req, limit), { column, sizeHint });
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    const te = await getTranslations("errors");
    return Response.json(
      { error: te("bodyLimit.list", { limit: formatBodyLimit(limit), max: MAX_LIST.toLocaleString("en-US") }), field: "file" },
      { status: 413 },
    );
  }
  if ("error" in r && r.error === "column")
    return Response.json({ error: t("error.column", { column: column ?? "", headers: r.headers.join(", ") }), field: "column" }, { status: 400 });
  if ("error" in r) {
    const f = r.refusal;
    const error =
      f.code === "tooMany"
        ? t("refused.tooMany", { max: f.max.toLocaleString("en-US") })
        : f.code === "tooFew"
          ? t("refused.tooFew", { valid: f.valid })
          : f.code === "utf16"
            ? t("refused.utf16")
            : f.code === "longRow"
              ? t("refused.longRow", { line: f.line, limit: formatBodyLimit(f.limit) })
              : t("refused.malformedCsv", { line: f.line });
    return Response.json({ error, field: "file", refusal: f, report: r.report, maxLine: MAX_LINE }, { status: 422 });
  }
  return Response.json({ listId: r.listId, report: r.report });
});
