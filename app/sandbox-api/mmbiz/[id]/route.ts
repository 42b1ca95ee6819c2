import { getDb } from "@/db/client";
import { env } from "@/lib/config/env";
import { sandboxMediaFile } from "@/lib/sandbox";

export const dynamic = "force-dynamic";

/** The sandbox's image host (what mmbiz.qpic.cn is for WeChat): public, like WeChat's. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  if (!env.sandboxEnabled) return new Response("not found", { status: 404 });
  const { id } = await ctx.params;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) return new Response("not found", { status: 404 });
  const f = await sandboxMediaFile(await getDb(), id);
  if (!f) return new Response("not found", { status: 404 });
  return new Response(new Uint8Array(f.bytes), {
    headers: { "content-type": f.mime, "cache-control": "public, max-age=86400", "x-content-type-options": "nosniff" },
  });
}
