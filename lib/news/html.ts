import sanitizeHtml from "sanitize-html";

/**
 * The HTML WeChat keeps in an article: tags with inline styles. Script, frames, forms, embedded
 * players and <style> sheets are removed by WeChat (WeChat's 「高级群发接口」: "JS stripped"), and event handlers
 * and javascript: URLs are never safe to keep. Used on save, before upload, and for every preview,
 * in the browser and on the server alike: the phone preview shows exactly what the server stores.
 *
 * sanitize-html (htmlparser2), not DOMPurify: on the server DOMPurify needs jsdom, ~105 MB that
 * stayed in every process that had run a news feature. This is an allowlist: a tag or attribute
 * not named here is dropped, so script, iframe/frame/frameset, object/embed/applet, style, link,
 * meta, base, form and its controls, template, video/audio/source/track and the like never reach
 * the output, nor does any on* handler, srcset, formaction, ping or data-* attribute.
 * sanitize-html 2.18 (for its noscript/textarea/xmp mutation-XSS fixes) says Node 22.12, but runs
 * on Node 20.19+, where require() loads its ESM-only htmlparser2 12: package.json asks for 20.19.
 *
 * SVG and MathML are dropped with everything inside them. WeChat articles do not need them (the
 * rich editor drops them too), and foreign content is where an HTML parser that is not a browser's
 * (htmlparser2 here) and the browser disagree on what is markup: the classic mutation-XSS
 * (<math><mtext><table><mglyph><style><img onerror>…). With no foreign content and no raw-text
 * element (style, textarea, xmp, noscript…) allowed, every piece of text in the output is escaped
 * text to the browser too.
 */
const ALLOWED_TAGS = [
  "p",
  "section",
  "article",
  "header",
  "footer",
  "div",
  "span",
  "center",
  "font",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "strike",
  "del",
  "ins",
  "sub",
  "sup",
  "small",
  "big",
  "mark",
  "abbr",
  "q",
  "cite",
  "dfn",
  "time",
  "code",
  "kbd",
  "samp",
  "var",
  "pre",
  "br",
  "wbr",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "address",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "caption",
  "colgroup",
  "col",
  "figure",
  "figcaption",
  "img",
  "a",
];

/**
 * Removed elements whose content goes with them: it is code, a style sheet, form text, fallback
 * for something that is gone, or raw text a browser would not parse as htmlparser2 does. Any
 * other element not allowed (a WeChat editor's <mpchecktext>, <html>/<body> of a pasted page)
 * is unwrapped: the tag goes, its text stays.
 */
const NON_TEXT_TAGS = [
  "script",
  "style",
  "textarea",
  "option",
  "select",
  "xmp",
  "plaintext",
  "noscript",
  "noembed",
  "noframes",
  "title",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "video",
  "audio",
  "svg",
  "math",
  "head",
];

/**
 * A URL as sanitize-html reads its scheme: without the characters a browser ignores in it (codes
 * 0–32) and without HTML comments, so "da&#x09;ta:" and "da<!---->ta:" are both seen as data:.
 */
function cleanUrl(url: string): string {
  let s = url.replace(/[\x00-\x20]+/g, "");
  for (;;) {
    const i = s.indexOf("<!--");
    const j = i === -1 ? -1 : s.indexOf("-->", i + 4);
    if (j === -1) return s;
    s = s.slice(0, i) + s.slice(j + 3);
  }
}

/** CSS as a CSS parser reads it: comments gone, escapes undone ("posit\\69 on" is position). */
function cssUnescape(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, "")
    .replace(/\\([0-9a-f]{1,6})[ \t\n\f\r]?/gi, (_m, hex: string) => {
      const code = parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
    })
    .replace(/\\([^\n])/g, "$1");
}

/**
 * Whether an inline style holds something that once ran script (IE's expression() and behavior,
 * Firefox's -moz-binding, a javascript: url()). No browser the console supports runs them, so
 * this is a second line only: such a style attribute is dropped whole.
 */
function scriptInStyle(style: string): boolean {
  const css = cssUnescape(style).replace(/[\x00-\x20]+/g, "");
  return /expression\(|behavior:|-moz-binding|(java|vb|live)script:/i.test(css);
}

/** An inline style's declarations, split on ";" outside quotes and brackets. */
function declarations(style: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < style.length; i++) {
    const c = style[i];
    if (c === "\\") i++;
    else if (quote) quote = c === quote ? "" : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === ";" && depth === 0) {
      out.push(style.slice(start, i));
      start = i + 1;
    }
  }
  out.push(style.slice(start));
  return out.map((d) => d.trim()).filter(Boolean);
}

/** Where a CSS url() may point: WeChat's image CDN (what uploadimg gives) or a picture inlined. */
function allowedCssUrl(raw: string): boolean {
  const url = raw
    .trim()
    .replace(/^["']|["']$/g, "")
    .trim();
  if (/^data:image\//i.test(url)) return true;
  try {
    const u = new URL(url);
    return (u.protocol === "https:" || u.protocol === "http:") && WECHAT_IMAGE_HOSTS.test(u.hostname);
  } catch {
    return false;
  }
}

/**
 * The inline styles an article keeps: what WeChat's editors write (colours, fonts, spacing, borders,
 * relative offsets), without what lets an article leave its own box — position fixed, absolute or
 * sticky and z-index, with which a saved draft could lay a fake "session expired" panel over the
 * console for every colleague who opens it — and without url()s to anywhere but WeChat's image
 * CDN (an outside URL in CSS is a tracking pixel fetched by every reader's browser). Judged on the
 * CSS as a browser parses it; a declaration kept is kept as written.
 */
function filterStyle(style: string): string | null {
  if (scriptInStyle(style)) return null;
  const kept: string[] = [];
  const all = declarations(style);
  for (const decl of all) {
    const plain = cssUnescape(decl);
    const colon = plain.indexOf(":");
    if (colon <= 0) continue;
    const prop = plain.slice(0, colon).trim().toLowerCase();
    const value = plain
      .slice(colon + 1)
      .replace(/!\s*important\s*$/i, "")
      .trim()
      .toLowerCase();
    if (prop === "position" && value !== "static" && value !== "relative") continue;
    if (prop === "z-index") continue;
    const urls = [...plain.matchAll(/url\(\s*("[^"]*"|'[^']*'|[^)]*)\s*\)/gi)].map((m) => m[1]);
    if (urls.some((u) => !allowedCssUrl(u))) continue;
    // image-set() and friends name URLs as plain strings: only through url() (checked above).
    if (/(image-set|-webkit-image-set|image|cross-fade|element)\(\s*["']/i.test(plain)) continue;
    kept.push(decl);
  }
  if (kept.length === all.length) return style; // nothing dropped: as written, so drafts round-trip
  return kept.length ? `${kept.join("; ")};` : null;
}

/**
 * Class names the console's own stylesheet gives meaning to (Tailwind utilities: "fixed inset-0
 * z-50 bg-white" would lay an article over the page). WeChat's editors write their own
 * (`_135editor`, `rich_pages wxw-img`, `MsoNormal`), which mean nothing to the console and stay.
 */
const CONSOLE_CLASS =
  /[:[\]/!.@#]|^-?(fixed|absolute|sticky|relative|static|inset|top|right|bottom|left|start|end|z|w|h|size|min|max|m[xytrblse]?|p[xytrblse]?|bg|text|font|border|rounded|shadow|ring|outline|flex|grid|inline|block|hidden|contents|table|float|clear|overflow|overscroll|opacity|pointer|cursor|select|sr|not|visible|invisible|collapse|translate|scale|rotate|skew|transform|transition|animate|duration|ease|delay|gap|space|divide|items|justify|content|self|place|order|col|row|auto|basis|grow|shrink|leading|tracking|truncate|whitespace|break|underline|line|decoration|list|object|aspect|container|isolate|isolation|backdrop|blur|filter|fill|stroke|peer|group|dark|focus|hover|sm|md|lg|xl|2xl|wx-content)(-|$)/;

function filterClass(cls: string): string | null {
  const kept = cls.split(/\s+/).filter((c) => c && !CONSOLE_CLASS.test(c));
  return kept.length ? kept.join(" ") : null;
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  nonTextTags: NON_TEXT_TAGS,
  disallowedTagsMode: "discard",
  selfClosing: ["img", "br", "hr", "col", "wbr"],
  allowedAttributes: {
    "*": ["style", "class", "id", "title", "align", "valign", "width", "height", "dir", "lang", "aria-*"],
    a: ["href"],
    img: ["src", "alt", "border"],
    table: ["border", "cellpadding", "cellspacing", "bgcolor"],
    tr: ["bgcolor"],
    td: ["colspan", "rowspan", "bgcolor"],
    th: ["colspan", "rowspan", "bgcolor", "scope"],
    col: ["span"],
    colgroup: ["span"],
    ol: ["start", "type", "reversed"],
    ul: ["type"],
    li: ["value"],
    font: ["color", "size", "face"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  // data: images pasted with the content survive until upload turns them into WeChat URLs; data:
  // stays refused on links (data:text/html is a page of the attacker's making).
  allowedSchemesByTag: { img: ["http", "https", "data"] },
  allowProtocolRelative: true,
  transformTags: {
    "*": (tagName, attribs) => {
      if (attribs.style === undefined && attribs.class === undefined) return { tagName, attribs };
      const rest = { ...attribs };
      if (rest.style !== undefined) {
        const style = filterStyle(rest.style);
        if (style === null) delete rest.style;
        else rest.style = style;
      }
      if (rest.class !== undefined) {
        const cls = filterClass(rest.class);
        if (cls === null) delete rest.class;
        else rest.class = cls;
      }
      return { tagName, attribs: rest };
    },
    // Of data: URLs only images: data:text/html or data:application/… in an <img> shows nothing
    // and is not what a pasted picture is.
    img: (tagName, attribs) => {
      if (attribs.src === undefined) return { tagName, attribs };
      const src = cleanUrl(attribs.src);
      if (!/^data:/i.test(src) || /^data:image\//i.test(src)) return { tagName, attribs };
      const rest = { ...attribs };
      delete rest.src;
      return { tagName, attribs: rest };
    },
  },
  // Inline styles are filtered declaration by declaration (filterStyle) in plain code that runs the
  // same in the browser and on the server: postcss would only run on the server, and the browser's
  // preview would differ from what is stored.
  parseStyleAttributes: false,
  // A no-break space is written back as &nbsp;, as the editors (and DOMPurify) write it, so
  // articles round-trip unchanged.
  textFilter: (text) => text.replace(/\u00a0/g, "&nbsp;"),
};

export function sanitizeArticleHtml(html: string): string {
  // Void elements as HTML writes them (<br>, not <br />), as DOMPurify did: drafts saved before
  // compare equal and do not become a new version on their next save. Every ">" in text and in
  // attribute values is escaped, so " />" is only ever the end of a void tag.
  return sanitizeHtml(html, OPTIONS).replace(/ \/>/g, ">");
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

const decodeAttr = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
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
 * Links WeChat would strip: WeChat's 「高级群发接口」 says only accounts with WeChat Pay may use <a> in content;
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
