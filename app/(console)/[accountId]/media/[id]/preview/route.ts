import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { mediaFile } from "@/lib/media/media-service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The small JPEG the library and pickers show. */
export const GET = withRouteUser("read", async (_user, _req: Request, ctx: { params: Promise<{ accountId: string; id: string }> }) => {
  const { accountId, id } = await ctx.params;
  const f = await mediaFile(await getDb(), accountId, id, "preview");
  if (!f) return new Response("not found", { status: 404 });
  return new Response(new Uint8Array(f.bytes), {
    headers: { "content-type": "image/jpeg", "cache-control": "private, max-age=86400", "x-content-type-options": "nosniff" },
  });
});
