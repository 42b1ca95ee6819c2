import DOMPurify from "isomorphic-dompurify";

/**
 * The HTML WeChat keeps in an article: tags with inline styles. Script, frames, forms, embedded
 * players and <style> sheets are removed by WeChat (seeds/004: "JS stripped"), and event handlers
 * and javascript: URLs are never safe to keep. Used on save, before upload, and for every preview.
 */
const FORBID_TAGS = ["script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta", "base", "form", "input", "button", "textarea", "select", "option", "noscript", "template", "video", "audio", "source", "track", "foreignObject"];

export function sanitizeArticleHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR: ["srcset", "formaction", "action", "ping"],
    ALLOW_DATA_ATTR: false,
    // data: images pasted with the content survive until upload turns them into WeChat URLs.
    ADD_DATA_URI_TAGS: ["img"],
  });
}

/**
 * For showing an article in the console: sanitized, and pictures without a text alternative marked
 * decorative (the article's own markup is what WeChat will show; the console must stay accessible).
 */
export function sanitizeForPreview(html: string): string {
  return sanitizeArticleHtml(html).replace(/<img\b(?![^>]*\balt=)/gi, '<img alt=""');
}

/** Hosts of WeChat's own image CDN: what uploadimg hands out. */
const WECHAT_IMAGE_HOSTS = /^(mmbiz\.qpic\.cn|mmbiz\.qlogo\.cn|mmecoa\.qpic\.cn)$/i;

/**
 * Whether an <img src> is already a WeChat (uploadimg) URL. The sandbox's image host is
 * `…/sandbox-api/mmbiz/…`; `known` holds the URLs this account's uploads returned.
 */
export function isWeChatImageUrl(src: string, known?: Set<string>): boolean {
  if (known?.has(src)) return true;
  try {
    const u = new URL(src);
    if (u.protocol !== "http:" && u.protocol !== "https:") return false;
    return WECHAT_IMAGE_HOSTS.test(u.hostname) || /\/sandbox-api\/mmbiz\/[A-Za-z0-9_-]+$/.test(u.pathname);
  } catch {
    return false;
  }
}

const decodeAttr = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const encodeAttr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const IMG_SRC = /(<img\b[^>]*?\bsrc\s*=\s*)("([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** Every <img src> in the content, in order, decoded. */
export function imageSources(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(IMG_SRC)) out.push(decodeAttr(m[3] ?? m[4] ?? m[5] ?? ""));
  return out;
}

/** The content with each <img src> found in `map` replaced. */
export function rewriteImageSources(html: string, map: Map<string, string>): string {
  return html.replace(IMG_SRC, (whole, pre: string, _q, d1?: string, d2?: string, d3?: string) => {
    const src = decodeAttr(d1 ?? d2 ?? d3 ?? "");
    const to = map.get(src);
    return to === undefined ? whole : `${pre}"${encodeAttr(to)}"`;
  });
}

/**
 * Links WeChat would strip: seeds/004 says only accounts with WeChat Pay may use <a> in content;
 * links to other WeChat articles (mp.weixin.qq.com) are kept for every account.
 */
export function strippedLinks(html: string): { href: string; text: string }[] {
  const out: { href: string; text: string }[] = [];
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
    const hm = /\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[1]);
    const href = hm ? decodeAttr(hm[2] ?? hm[3] ?? hm[4] ?? "") : "";
    let keep = false;
    try {
      keep = /^mp\.weixin\.qq\.com$/i.test(new URL(href).hostname);
    } catch {
      keep = false;
    }
    if (!keep) out.push({ href, text: m[2].replace(/<[^>]*>/g, "").trim() });
  }
  return out;
}
