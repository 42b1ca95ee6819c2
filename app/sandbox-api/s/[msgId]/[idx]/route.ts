import { getDb } from "@/db/client";
import { env } from "@/lib/config/env";
import { sandboxArticle } from "@/lib/sandbox";

export const dynamic = "force-dynamic";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A sent article's public page. The content is the sender's HTML, so the page forbids every
 * script by CSP (only images and inline styles load), as WeChat strips scripts too.
 */
export async function GET(_req: Request, ctx: { params: Promise<{ msgId: string; idx: string }> }) {
  if (!env.sandboxEnabled) return new Response("not found", { status: 404 });
  const { msgId, idx } = await ctx.params;
  const a = /^\d+$/.test(msgId) && /^\d+$/.test(idx) ? await sandboxArticle(await getDb(), Number(msgId), Number(idx)) : null;
  const headers = {
    "content-type": "text/html; charset=utf-8",
    // The page is served from the console's origin: besides scripts, it may not submit a form,
    // set a base URL, be framed by another site, or navigate by <meta refresh> (the content is
    // cleaned of those too, by sandboxArticle).
    "content-security-policy":
      "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; script-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
  if (!a) return new Response("<!doctype html><title>404</title><p>此内容不存在 / Not found</p>", { status: 404, headers });
  if (a.deleted)
    return new Response(
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>已删除</title><p>该内容已被发布者删除 / This content was deleted by its publisher</p></html>`,
      { status: 410, headers },
    );
  return new Response(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(a.title)}</title>` +
      `<body style="max-width:640px;margin:auto;padding:16px;font-family:sans-serif">` +
      `<h1>${esc(a.title)}</h1><p style="color:#888">${esc(a.author)}</p>${a.content}</body></html>`,
    { headers },
  );
}
