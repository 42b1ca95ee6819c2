import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { mediaFile } from "@/lib/media/media-service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The bytes that were sent to WeChat (a cover or picture shown in the editor and preview). */
export const GET = withRouteUser("read", async (_user, req: Request, ctx: { params: Promise<{ accountId: string; id: string }> }) => {
  const { accountId, id } = await ctx.params;
  const f = await mediaFile(await getDb(), accountId, id, "file");
  if (!f) return new Response("not found", { status: 404 });
  const download = new URL(req.url).searchParams.has("download");
  return new Response(new Uint8Array(f.bytes), {
    headers: {
      "content-type": f.mime,
      "content-length": String(f.bytes.length),
      "cache-control": "private, max-age=3600",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "content-disposition": `${download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
    },
  });
});
