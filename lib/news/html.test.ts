import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { ARTICLES, FORBIDDEN_ELEMENTS, URL_ATTRIBUTES, XSS_VECTORS, unsafeUrl } from "@/test/support/article-html";
import { sanitizeArticleHtml, sanitizeForPreview } from "./html";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const HTML_NS = "http://www.w3.org/1999/xhtml";

/** Every element of the fragment as a browser would build it (parse5 follows the HTML standard; htmlparser2, which the sanitizer uses, does not). */
function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    if ("tagName" in n) {
      out.push(n);
      if (n.tagName === "template") walk((n as DefaultTreeAdapterMap["template"]).content);
    }
    if ("childNodes" in n) n.childNodes.forEach(walk);
  };
  walk(parseFragment(html));
  return out;
}

/** What in the output could run script or open a page of an attacker's making. */
function dangers(html: string): string[] {
  const out: string[] = [];
  for (const el of elements(html)) {
    const name = el.tagName.toLowerCase();
    if (el.namespaceURI !== HTML_NS) out.push(`<${name}> in ${el.namespaceURI}`);
    if (FORBIDDEN_ELEMENTS.includes(name)) out.push(`<${name}>`);
    for (const a of el.attrs) {
      const an = (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase();
      if (an.startsWith("on")) out.push(`${name}[${an}]`);
      if (an.startsWith("data-") || ["srcset", "formaction", "ping", "srcdoc", "action"].includes(an)) out.push(`${name}[${an}]`);
      if (URL_ATTRIBUTES.includes(an) && unsafeUrl(a.value, name === "img" && an === "src")) out.push(`${name}[${an}=${a.value}]`);
      if (an === "style" && /javascript:|expression\(|-moz-binding|behavior:/i.test(a.value.replace(/\\/g, ""))) out.push(`${name}[style=${a.value}]`);
    }
  }
  return out;
}

describe("sanitizeArticleHtml: XSS vectors", () => {
  it("the check itself sees what it must refuse", () => {
    expect(dangers('<img src=x onerror=alert(1)><a href="jav&#x09;ascript:1">x</a><svg></svg><a href="data:text/html,x">d</a>')).toEqual([
      "img[onerror]",
      "a[href=jav\tascript:1]",
      `<svg> in http://www.w3.org/2000/svg`,
      "<svg>",
      "a[href=data:text/html,x]",
    ]);
    expect(dangers(`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`).length).toBeGreaterThan(0);
  });

  it.each(XSS_VECTORS.map((v) => [v]))("%s", (vector) => {
    const out = sanitizeArticleHtml(vector);
    expect(dangers(out)).toEqual([]);
    // Every "<" left in the output opens an allowed tag (text and attribute values are escaped).
    expect(out).not.toMatch(/<\s*(script|iframe|svg|math|style|object|embed|form|base|meta|link)\b/i);
    expect(sanitizeArticleHtml(out)).toBe(out);
    expect(dangers(sanitizeForPreview(vector))).toEqual([]);
  });

  it("known answers for some vectors", () => {
    expect(sanitizeArticleHtml(`<img src=x onerror=alert(1)>`)).toBe('<img src="x">');
    expect(sanitizeArticleHtml(`<a href="jav&#x09;ascript:alert(1)">x</a>`)).toBe("<a>x</a>");
    expect(sanitizeArticleHtml(`<IMG SRC="javascript:alert(1)">`)).toBe("<img>");
    expect(sanitizeArticleHtml(`<form><button formaction=javascript:alert(1)>X</button></form>`)).toBe("X");
    expect(sanitizeArticleHtml(`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`)).toBe("");
    expect(sanitizeArticleHtml(`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`)).toBe("");
    expect(sanitizeArticleHtml(`<!--<img src=x onerror=alert(1)>-->after`)).toBe("after");
    expect(sanitizeArticleHtml(`<svg onload=alert(1)><text>drawn</text></svg>text`)).toBe("text");
    expect(sanitizeArticleHtml(`<style>@import 'https://evil.example/x.css';</style><p>p</p>`)).toBe("<p>p</p>");
    expect(sanitizeArticleHtml(`<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">ok`)).toBe("ok");
    expect(sanitizeArticleHtml(`<a href="data:text/html,<script>alert(1)</script>">d</a>`)).toBe("<a>d</a>");
    expect(sanitizeArticleHtml(`<div style="background:url(javascript:alert(1))">bg</div>`)).toBe("<div>bg</div>");
  });
});

describe("sanitizeArticleHtml: what an article keeps", () => {
  it("inline styles on p, span, section and img; class, id, title, align, width, height, aria-*, dir, lang", () => {
    const html =
      '<section style="margin: 0 auto; box-sizing: border-box;" class="_135editor" id="s1" aria-label="标题"><p style="text-align: justify; ' +
      'line-height: 1.75em;" align="center" dir="ltr" lang="zh-CN"><span style="color: rgb(255, 0, 0); font-size: 15px;" title="提示">红字</span></p><p>' +
      '<img src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg&amp;tp=webp" style="width: 100%; height: auto;" width="100%" height="200" ' +
      'alt="图"></p></section>';
    expect(sanitizeArticleHtml(html)).toBe(html);
  });

  it("tables with colspan, rowspan, caption, colgroup, thead, tfoot", () => {
    const html =
      '<table width="100%" border="1" cellpadding="4" cellspacing="0" style="border-collapse: collapse;"><caption>价目</caption><colgroup><col ' +
      'width="40%"><col span="2"></colgroup><thead><tr><th rowspan="2">项目</th><th colspan="2">价格</th></tr></thead><tbody><tr><td align="right" ' +
      'valign="middle">18</td><td colspan="2">168</td></tr></tbody><tfoot><tr><td colspan="3">注</td></tr></tfoot></table>';
    expect(sanitizeArticleHtml(html)).toBe(html);
  });

  it("lists, headings, blockquote, pre/code, hr, inline formatting", () => {
    const html =
      '<h1>一</h1><h2>二</h2><h3>三</h3><h4>四</h4><h5>五</h5><h6>六</h6><ul><li><p>甲</p></li></ul><ol start="3"><li>乙</li></ol><dl><dt>词</dt><dd>义</dd>' +
      "</dl><blockquote><p>引文</p></blockquote><hr><pre><code>a &lt; b</code></pre><p><strong>粗</strong><b>b</b><em>斜</em><i>i</i><u>下</u><s>删</s>" +
      '<del>del</del><ins>ins</ins><sub>2</sub><sup>3</sup><small>小</small><mark>亮</mark><abbr title="缩写">abbr</abbr><q>q</q><cite>cite</cite><br>' +
      '<font color="#f00" size="3" face="黑体">字</font></p><center>居中</center><figure><img src="/a/media/m1/file" alt="">' +
      "<figcaption>说明</figcaption></figure><div>div</div>";
    expect(sanitizeArticleHtml(html)).toBe(html);
  });

  it("Chinese text and entities round-trip", () => {
    const html = "<p>价格&nbsp;&nbsp;￥128 &amp; 运费 &lt;免&gt; “引号” &quot;直引号&quot; &copy; &#x1F600;</p>";
    expect(sanitizeArticleHtml(html)).toBe('<p>价格&nbsp;&nbsp;￥128 &amp; 运费 &lt;免&gt; “引号” "直引号" © 😀</p>');
    expect(sanitizeArticleHtml('<p title="a &amp; &quot;b&quot; &lt;c&gt;">t</p>')).toBe('<p title="a &amp; &quot;b&quot; &lt;c&gt;">t</p>');
  });

  it("img src: http, https, protocol-relative, relative and data:image kept; other data: and scripts dropped", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    expect(sanitizeArticleHtml(`<img src="${png}">`)).toBe(`<img src="${png}">`);
    expect(sanitizeArticleHtml('<img src="DATA:image/jpeg;base64,/9j/">')).toBe('<img src="DATA:image/jpeg;base64,/9j/">');
    for (const src of ["http://a.example/x.png", "https://a.example/x.png", "//mmbiz.qpic.cn/x/0", "/a/media/m1/file", "x.png"]) {
      expect(sanitizeArticleHtml(`<img src="${src}">`)).toBe(`<img src="${src}">`);
    }
    expect(sanitizeArticleHtml('<img src="data:text/html,<b>x</b>">')).toBe("<img>");
    expect(sanitizeArticleHtml('<img src="da&#x09;ta:text/html,x">')).toBe("<img>");
    expect(sanitizeArticleHtml('<img src="da<!---->ta:application/x,x">')).toBe("<img>");
  });

  it("href: http, https, mailto, tel, relative and fragments kept; data: dropped, even data:image", () => {
    for (const href of ["https://mp.weixin.qq.com/s/abc", "http://a.example/?a=1&amp;b=2", "mailto:a@example.com", "tel:+861012345678", "/path", "#top"]) {
      expect(sanitizeArticleHtml(`<a href="${href}">x</a>`)).toBe(`<a href="${href}">x</a>`);
    }
    expect(sanitizeArticleHtml('<a href="data:image/png;base64,iVBORw0KGgo=">x</a>')).toBe("<a>x</a>");
    expect(sanitizeArticleHtml('<a href="data:text/html,x">x</a>')).toBe("<a>x</a>");
  });

  it("drops data-*, srcset, target, rel and unknown attributes; unwraps unknown tags but keeps their text", () => {
    expect(sanitizeArticleHtml('<p data-tools="135编辑器" powered-by="xiumi.us" contenteditable="true">x</p>')).toBe("<p>x</p>");
    expect(sanitizeArticleHtml('<img src="a.png" srcset="b.png 2x" data-src="c.png" loading="lazy">')).toBe('<img src="a.png">');
    expect(sanitizeArticleHtml('<a href="https://a.example/" target="_blank" rel="opener" name="n">x</a>')).toBe('<a href="https://a.example/">x</a>');
    expect(sanitizeArticleHtml("<mpchecktext>WeChat 的标签</mpchecktext><html><body><o:p>Word</o:p></body></html>")).toBe("WeChat 的标签Word");
  });

  it("removed script-like elements take their text with them", () => {
    const html =
      "<p>a</p><script>alert(1)</script><style>p{color:red}</style><textarea>typed</textarea><select><option>opt</option></select>" +
      "<noscript>ns</noscript><template>tpl</template><xmp>xmp</xmp><title>title</title><iframe>frame</iframe><object>obj</object><video>no " +
      "video</video><audio>no audio</audio><svg><text>svg</text></svg><math><mi>x</mi></math><noembed>ne</noembed><noframes>nf</noframes><p>b</p>";
    expect(sanitizeArticleHtml(html)).toBe("<p>a</p><p>b</p>");
    expect(sanitizeArticleHtml("<p>a</p><plaintext>rest")).toBe("<p>a</p>");
    expect(sanitizeArticleHtml("<form>in a form <button>a button</button><input value=v></form>")).toBe("in a form a button");
  });

  it("idempotent on every article of the corpus, and nothing dangerous left", () => {
    for (const [name, html] of Object.entries(ARTICLES)) {
      const once = sanitizeArticleHtml(html);
      expect(sanitizeArticleHtml(once), name).toBe(once);
      expect(dangers(once), name).toEqual([]);
      expect(once.length, name).toBeGreaterThan(html.length / 3);
    }
  });

  it("corpus known answers: text and images survive the editors' markup", () => {
    const x135 = sanitizeArticleHtml(ARTICLES.editor135);
    expect(x135).toContain("<strong>第一章&nbsp;&nbsp;春季新品</strong>");
    expect(x135).toContain(
      '<img class="rich_pages wxw-img" src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg&amp;tp=webp" style="width: 100%; height: auto; ' +
        'vertical-align: middle;" width="100%">',
    );
    expect(x135).not.toMatch(/data-/);
    const xiumi = sanitizeArticleHtml(ARTICLES.xiumi);
    expect(xiumi).toContain("《红楼梦》里的“情”与“礼”");
    expect(xiumi).not.toContain("<svg");
    const word = sanitizeArticleHtml(ARTICLES.wordPaste);
    expect(word.startsWith('<p class="MsoNormal"><span lang="EN-US" style="font-family: Calibri;">Q1</span>')).toBe(true);
    expect(word).not.toMatch(/会议纪要<\/title>|MsoNormal\{|<meta|<style|\[if gte mso/);
  });

  it("sanitizeForPreview marks pictures without a text alternative as decorative", () => {
    expect(sanitizeForPreview('<p><img src="a.png"><img src="b.png" alt="猫"><img src=x onerror=alert(1)></p>')).toBe(
      '<p><img alt="" src="a.png"><img src="b.png" alt="猫"><img alt="" src="x"></p>',
    );
  });
});

describe("the server no longer loads jsdom", () => {
  it("importing the news and campaign services (as the server and the worker do) brings no jsdom and no DOMPurify", () => {
    const root = path.resolve(__dirname, "../..");
    const script = `
      import { createRequire } from "node:module";
      await import("./lib/news/html.ts");
      await import("./lib/news/news-service.ts");
      await import("./lib/campaigns/campaign-service.ts");
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ count: loaded.length, hits: loaded.filter((k) => /[\\\\/]node_modules[\\\\/](jsdom|dompurify|isomorphic-dompurify)[\\\\/]/.test(k)), sanitizer: loaded.some((k) => /[\\\\/]node_modules[\\\\/]sanitize-html[\\\\/]/.test(k)) }));
    `;
    const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split("\n").pop()!) as { count: number; hits: string[]; sanitizer: boolean };
    // The module list is read from the same cache jsdom (CommonJS) would be in: sanitize-html, also CommonJS, is there.
    expect(got.sanitizer).toBe(true);
    expect(got.hits).toEqual([]);
  });
});

/**
 * Articles that try to reach outside their own box: a saved draft is opened by every colleague, so
 * its markup must not cover the console (a fake "session expired" panel), nor make their browsers
 * call an outside server, nor borrow the console's own class names.
 */
describe("the overlay corpus: an article stays inside its box", () => {
  const OVERLAYS = [
    `<div style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:2147483647;background:#fff">会话已过期，<a ` +
      `href="https://evil.example/login">重新登录</a></div>`,
    `<div style="position: absolute; inset: 0; z-index: 99">x</div>`,
    `<div style="POSITION : FIXED !important">x</div>`,
    `<div style="posit\\69 on: fixed">escaped property</div>`,
    `<div style="position: f\\69xed">escaped value</div>`,
    `<div style="position:/**/fixed">comment</div>`,
    `<div style="position: sticky; top: 0">sticky</div>`,
    `<div style="z-index: 10; position: relative">z</div>`,
    `<section class="fixed inset-0 z-50 bg-white">our classes</section>`,
    `<p class="sm:fixed md:absolute [position:fixed] top-[0px] !fixed">variants</p>`,
  ];
  const TRACKERS = [
    `<div style="background:url(https://evil.example/t.gif)">bg</div>`,
    `<div style="background-image: url('//evil.example/t.gif')">protocol-relative</div>`,
    `<div style='background-image: url("http://evil.example/t.gif?a=1;b=2")'>semicolon inside</div>`,
    `<div style="background: u\\72l(https://evil.example/t.gif)">escaped url</div>`,
    `<div style="background-image: image-set('https://evil.example/t.gif' 1x)">set</div>`,
    `<div style="list-style-image: url(/sandbox-api/mmbiz/x)">relative</div>`,
    `<div style="cursor: url(https://evil.example/c.cur), auto">cursor</div>`,
  ];

  it.each(OVERLAYS)("%s cannot leave its box", (html) => {
    const out = sanitizeArticleHtml(html);
    const styles = [...out.matchAll(/style="([^"]*)"/g)].map((m) => m[1]).join(" ");
    expect(styles).not.toMatch(/fixed|absolute|sticky|z-index|\\/i);
    expect(out).not.toMatch(/class="[^"]*\b(fixed|inset-0|z-50|bg-white|absolute)\b/);
    expect(out).not.toMatch(/class="[^"]*[:[\]!]/);
  });

  it.each(TRACKERS)("%s loads nothing from outside", (html) => {
    const out = sanitizeArticleHtml(html);
    expect(out).not.toMatch(/evil\.example|url\(|image-set/i);
  });

  it("keeps what WeChat's editors write: colours, spacing, relative offsets, WeChat CDN backgrounds, their own classes", () => {
    const ok =
      `<section class="_135editor tn-Powered-by-XIUMI" style="position: relative; margin: 10px auto; background-image: ` +
      `url(&quot;https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png&quot;); background-size: cover; color: rgb(62, 62, 62);"><p style="text-align: ` +
      `center; line-height: 1.75em; transform: rotate(0deg);">标题</p></section>`;
    expect(sanitizeArticleHtml(ok)).toBe(ok);
    // One bad declaration goes; the rest of the style stays.
    expect(sanitizeArticleHtml(`<p style="color: red; position: fixed; font-size: 15px">p</p>`)).toBe(`<p style="color: red; font-size: 15px;">p</p>`);
    expect(sanitizeArticleHtml(`<p class="rich_pages fixed wxw-img">p</p>`)).toBe(`<p class="rich_pages wxw-img">p</p>`);
  });
});
