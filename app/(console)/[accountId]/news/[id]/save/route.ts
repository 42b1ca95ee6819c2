import { getTranslations } from "next-intl/server";
import { withRouteUser } from "@/lib/auth/guard";
import { parseInput, zodFieldErrors } from "@/lib/auth/action";
import { UserFacingError } from "@/lib/auth/action";
import { BODY_LIMITS, BodyTooLargeError, formatBodyLimit, readTextLimited } from "@/lib/http/body-limit";
import { draftSaveSchema } from "@/lib/news/schemas";
import { saveDraftFor } from "../../save-draft";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The save sent with `fetch(…, { keepalive: true })` when the page is hidden or left, where a
 * server action cannot run to completion. Same schema and rules as the autosave action; the body
 * is cut off at the 64 KB a keepalive request can carry.
 */
export const POST = withRouteUser("edit", async (user, req: Request, ctx: { params: Promise<{ accountId: string; id: string }> }) => {
  const { accountId, id } = await ctx.params;
  const t = await getTranslations("errors");
  let body: unknown;
  try {
    body = JSON.parse(await readTextLimited(req, BODY_LIMITS.newsSave));
  } catch (e) {
    if (e instanceof BodyTooLargeError) return Response.json({ error: t("bodyLimit.draft", { limit: formatBodyLimit(e.limit) }) }, { status: 413 });
    return Response.json({ error: t("invalidInput") }, { status: 400 });
  }
  const parsed = await parseInput(draftSaveSchema, { ...(body as object), accountId, draftId: id });
  if (!parsed.success) return Response.json({ error: t("invalidInput"), fieldErrors: await zodFieldErrors(parsed.error) }, { status: 400 });
  try {
    const r = await saveDraftFor(user, parsed.data);
    return Response.json(r, { status: r.saved ? 200 : 409 });
  } catch (e) {
    if (e instanceof UserFacingError) return Response.json({ error: e.message }, { status: 422 });
    throw e;
  }
});
