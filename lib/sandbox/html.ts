import sanitizeHtml from "sanitize-html";

/**
 * Whether WeChat keeps an in-article image: only pictures it hosts itself. WeChat's Advanced Mass
 * Send document has news images uploaded first with 上传图文消息内的图片获取URL (media/uploadimg) and
 * their URLs put in the content; its draft-box document (新建草稿, content) says the image URLs
 * must come from that interface and outside image links are filtered (外部图片链接将被过滤). In the
 * sandbox uploadimg answers URLs of its /sandbox-api/mmbiz/<id> route; WeChat's own
 * (mmbiz.qpic.cn) are kept too.
 */
function isWechatImageUrl(src: string | undefined): boolean {
  if (!src) return false;
  let u: URL;
  try {
    u = new URL(src.trim());
  } catch {
    return false;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  return /(^|\.)mmbiz\.qpic\.cn$/i.test(u.hostname) || /^\/sandbox-api\/mmbiz\/[A-Za-z0-9_-]+$/.test(u.pathname);
}

/** Elements removed with everything inside them: code, and what could send the reader elsewhere. */
const DROPPED = new Set(["script", "noscript", "meta", "base", "link", "form", "iframe", "frame", "frameset", "object", "embed", "applet"]);

/**
 * An article's content as WeChat stores it: scripts, event handlers and javascript: URLs gone,
 * images not from uploadimg dropped, everything else (tags, inline styles) kept as written.
 * Parsed (sanitize-html, htmlparser2), not matched by a regular expression: quoting styles,
 * attribute order and case do not change what is kept. Also applied when an article page is
 * shown, so content stored before a rule was added is held to it.
 */
export function wechatArticleHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    // A URL in href/src keeps only these schemes (javascript:, data: and the like are removed).
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedSchemesAppliedToAttributes: ["href", "src", "action", "formaction", "data-src", "background", "poster"],
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => DROPPED.has(frame.tag) || (frame.tag === "img" && !isWechatImageUrl(frame.attribs.src)),
    transformTags: {
      "*": (tagName, attribs) => ({
        tagName,
        attribs: Object.fromEntries(
          Object.entries(attribs).filter(([k]) => !/^on/i.test(k) && k.toLowerCase() !== "srcset" && k.toLowerCase() !== "http-equiv"),
        ),
      }),
    },
  });
}
