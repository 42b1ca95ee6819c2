/**
 * Article HTML for the sanitizer's tests: realistic WeChat articles (as 135editor, 秀米, Word,
 * the console's own rich editor and hand-written tables produce them) and XSS vectors in the
 * style of the OWASP filter evasion cheat sheet and the published DOMPurify/sanitize-html
 * mutation-XSS bypasses.
 */

const PNG_1PX = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export const ARTICLES: Record<string, string> = {
  editor135:
    `<section class="_135editor" data-tools="135编辑器" data-id="94087" style="margin: 0px auto; box-sizing: border-box;"><section ` +
    `style="display: flex; justify-content: center; align-items: center;"><section style="background-color: rgb(255, 240, 229); padding: 5px 15px; ` +
    `border-radius: 20px;"><span style="color: rgb(232, 101, 45); font-size: 16px; letter-spacing: 1.5px;"><strong>第一章&nbsp;&nbsp;春季新品</strong>` +
    `</span></section></section><p style="text-align: justify; line-height: 1.75em; margin: 10px 8px;"><span style="font-size: 15px; color: ` +
    `rgb(63, 63, 63);">三月的风吹过江南，我们把一整季的新茶装进了这只小小的罐子里。&nbsp;价格：<span style="color: rgb(255, 0, 0);"><strong>￥128</strong></span>（含运费）。</span></p>` +
    `<p style="text-align: center;"><img class="rich_pages wxw-img" data-ratio="0.6667" data-w="1080" ` +
    `data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640" src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg&amp;tp=webp" style="width: ` +
    `100%; height: auto; vertical-align: middle;" width="100%"></p><p><br></p></section>`,

  xiumi:
    `<section powered-by="xiumi.us" style="box-sizing: border-box; font-style: normal; font-weight: 400; text-align: justify; font-size: 16px;">` +
    `<section style="box-sizing: border-box; margin: 10px 0%; text-align: center;"><section style="display: inline-block; width: 90%; vertical-align: ` +
    `top; border-style: solid; border-width: 1px; border-color: rgb(62, 62, 62); padding: 10px; box-sizing: border-box;"><section ` +
    `style="box-sizing: border-box; font-size: 18px; color: rgb(160, 160, 160);"><p style="white-space: normal; margin: 0px; padding: 0px; ` +
    `box-sizing: border-box;"><strong style="box-sizing: border-box;">读书会 · 第 42 期</strong></p><p style="white-space: normal; margin: 0px; ` +
    `padding: 0px; box-sizing: border-box;"><span style="color: rgb(0, 0, 0); box-sizing: ` +
    `border-box;">《红楼梦》里的&ldquo;情&rdquo;与&ldquo;礼&rdquo;</span></p></section></section></section><section style="display: inline-block; ` +
    `width: 100%; height: 8px; box-sizing: border-box;"><svg viewBox="0 0 1 1" ` +
    `style="float:left;line-height:0;width:0;vertical-align:top;"></svg></section><section style="box-sizing: border-box; margin: 0px ` +
    `0px 10px;"><section style="box-sizing: border-box; color: rgb(62, 62, 62); line-height: 1.8; letter-spacing: 1px; padding: 0px ` +
    `8px;"><p style="box-sizing: border-box; margin: 0px;">时间：周六 14:00&mdash;16:00<br style="box-sizing: border-box;">地点：城东图书馆三楼 ` +
    `&amp; 线上直播</p></section></section></section>`,

  tables:
    `<h2 style="font-size: 18px; text-align: center;">2025 年会员价目表</h2><table width="100%" border="1" cellpadding="4" cellspacing="0" ` +
    `style="border-collapse: collapse; width: 100%;"><caption>单位：元 &lt;含税&gt;</caption><colgroup><col width="40%"><col span="2" width="30%">` +
    `</colgroup><thead><tr><th style="background-color: rgb(242, 242, 242);" rowspan="2">项目</th><th colspan="2" style="text-align: center;">价格</th>` +
    `</tr><tr><th>月付</th><th>年付</th></tr></thead><tbody><tr><td style="word-break: break-all;">基础会员</td><td align="right">18</td><td ` +
    `align="right">168</td></tr><tr><td>高级会员 <sup>*</sup></td><td align="right" valign="middle">38</td><td align="right">368</td></tr><tr><td ` +
    `colspan="3" style="font-size: 12px; color: #888;">* 首月 5 折，A&amp;B 套餐不可叠加</td></tr></tbody><tfoot><tr><td colspan="3">最终解释权归本店所有</td>` +
    `</tr></tfoot></table>`,

  richEditor:
    `<h2>本周要点</h2><p>大家好，这是<strong>第 12 期</strong>周报，<em>请</em>在周五前<u>回复</u>。<s>旧的报名表作废</s>。</p><ul><li><p>新品上线：见 <a ` +
    `href="https://mp.weixin.qq.com/s/AbCdEf123">上期推送</a></p></li><li><p>活动报名：<a href="https://shop.example.com/event?id=7&amp;from=wx">点此报名</a></p>` +
    `</li></ul><ol start="3"><li><p>第三项</p></li><li><p>第四项</p></li></ol><blockquote><p>学而时习之，不亦说乎？—— 《论语》</p></blockquote><hr><h3>代码示例</h3><pre>` +
    `<code>if (a &lt; b &amp;&amp; c &gt; d) { return "ok"; }</code></pre><p>联系我们：<a href="mailto:hello@example.com">hello@example.com</a> 或 <a ` +
    `href="tel:+86-10-12345678">电话</a></p><p><img src="https://example.com/uploads/banner.jpg" alt="活动海报"></p>`,

  images:
    `<figure style="margin: 0;"><img src="${PNG_1PX}" alt="粘贴的截图" style="max-width: 100%;"><figcaption style="font-size: 12px; color: #999; ` +
    `text-align: center;">图 1：粘贴的截图</figcaption></figure><p><img src="//mmbiz.qpic.cn/mmbiz_png/xyz/0?wx_fmt=png" width="300" height="200" ` +
    `title="协议相对地址"><img src="/a/media/m_123/file" alt=""><img src="https://cdn.example.com/p/猫.jpg?size=large&amp;q=80"></p><p style="text-align: ` +
    `center;"><span style="font-size: 12px;">&copy; 2025 示例 &middot; 转载请注明出处 &#x1F600; &#128512;</span></p>`,

  wordPaste:
    `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><title>会议纪要</title>` +
    `<style>p.MsoNormal{margin:0cm;font-size:10.5pt;}</style></head><body lang="ZH-CN"><!--[if gte mso 9]><xml><o:OfficeDocumentSettings>` +
    `</o:OfficeDocumentSettings></xml><![endif]--><p class="MsoNormal"><span lang="EN-US" style="font-family: Calibri;">Q1</span><span ` +
    `style="font-family: 宋体;">会议纪要</span><o:p></o:p></p><p class="MsoNormal" align="center"><b><span style="font-size: 14pt;">一、议题</span></b></p>` +
    `<p class="MsoNormal"><font color="#ff0000" face="黑体" size="3">重点：</font>预算 &gt; 10&nbsp;万需审批</p><center>—— 完 ——</center><dl><dt>附件</dt>` +
    `<dd>预算表.xlsx</dd></dl></body></html>`,

  mixedInline:
    `<div dir="rtl" lang="ar">مرحبا</div><p>化学式 H<sub>2</sub>O，公式 E=mc<sup>2</sup>，<small>小字</small>，<mark>高亮</mark>，<abbr title="World ` +
    `Health Organization">WHO</abbr>，<q>引用</q>，<cite>《诗经》</cite>，<del>删除</del><ins>插入</ins>，<i>斜体</i>，<b>粗体</b>，<code>npm&nbsp;install</code>。</p>` +
    `<h1>一级</h1><h4>四级</h4><h5>五级</h5><h6>六级</h6><section id="part-2" aria-label="第二部分" class="note"><p title="提示 &quot;引号&quot; &amp; ` +
    `符号">带引号的标题属性</p></section><mpchecktext contenteditable="false" id="1234">WeChat 自定义标签里的文字</mpchecktext>`,
};

/** Vectors: each must come out with no script-capable element, no on* attribute and no unsafe URL. */
export const XSS_VECTORS: string[] = [
  `<img src=x onerror=alert(1)>`,
  `<img src="x" ONERROR="alert(1)">`,
  `<img/src="x"/onerror=alert(1)>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<a href="jav&#x09;ascript:alert(1)">tab</a>`,
  `<a href="jav&#x0A;ascript:alert(1)">newline</a>`,
  `<a href="jav&#x0D;ascript:alert(1)">cr</a>`,
  `<a href="java\u0000script:alert(1)">nul</a>`,
  `<a href=" &#14;  javascript:alert(1)">leading controls</a>`,
  `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">decimal entities</a>`,
  `<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">hex entities</a>`,
  `<a href="javascript&colon;alert(1)">named colon</a>`,
  `<a href="JaVaScRiPt:alert(1)">mixed case</a>`,
  `<A HREF="JAVASCRIPT:alert(1)">UPPER</A>`,
  `<a href="javascript://%0aalert(1)">comment trick</a>`,
  `<a href="vbscript:msgbox(1)">vbs</a>`,
  `<a href="VBScript:msgbox(1)">VBS</a>`,
  `<a href="livescript:alert(1)">ls</a>`,
  `<a href="data:text/html,<script>alert(1)</script>">data html</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data b64</a>`,
  `<a href="DATA:text/html,<script>alert(1)</script>">DATA</a>`,
  `<a href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">data image link</a>`,
  `<a href="https://ok.example/" onmouseover="alert(1)">handler on a link</a>`,
  `<a href="#" ping="https://evil.example/">ping</a>`,
  `<div onclick=alert(1)>click</div><p onmouseover="alert(1)">p</p><body onload=alert(1)>`,
  `<IMG SRC="javascript:alert(1)">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<IMG SRC=javascript:alert(&quot;XSS&quot;)>`,
  "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
  "<img src=x` `onerror=alert(1)>",
  '<img src="x` onerror=alert(1)>',
  "<img src=x onerror=alert`1`>",
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>`,
  `<img src="jav	ascript:alert(1)">`,
  `<img src="data:text/html,<script>alert(1)</script>">`,
  `<img src="da<!---->ta:text/html,x">`,
  `<img src="x" srcset="javascript:alert(1) 1x, https://ok.example/a.png 2x">`,
  `<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="svg as image">`,
  `<a href="x" title='"><img src=x onerror=alert(1)>'>title breakout</a>`,
  '<img src="x" alt="``><img src=x onerror=alert(1)>">',
  `<script>alert(1)</script>`,
  `<ScRiPt>alert(1)</sCrIpT>`,
  `<script src="https://evil.example/x.js"></script>`,
  `<<script>alert(1)//<</script>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<xss onafterscriptexecute=alert(1)><script>1</script>`,
  `<svg onload=alert(1)>`,
  `<svg/onload=alert(1)>`,
  `<svg><script>alert(1)</script></svg>`,
  `<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>`,
  `<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text x="20" y="20">x</text></a></svg>`,
  `<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>`,
  `<svg><textarea><img src=x onerror=alert(1)></textarea></svg>`,
  `<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">`,
  `<svg><p><style><img src="</style><img src=x onerror=alert(1)//">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">`,
  `<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>`,
  `<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<div><noscript></div><img src=x onerror=alert(1)></noscript></div>`,
  `<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>`,
  `<noframes><img title="</noframes><img src=x onerror=alert(1)>"></noframes>`,
  `<xmp><img src=x onerror=alert(1)></xmp>`,
  `<plaintext><img src=x onerror=alert(1)>`,
  `<title><img src=x onerror=alert(1)></title>`,
  `<textarea><img src=x onerror=alert(1)></textarea>`,
  `<textarea></textarea/><img src=x onerror=alert(1)>`,
  `<template><img src=x onerror=alert(1)></template>`,
  `<select><template><img src=x onerror=alert(1)></template></select>`,
  `<!--<img src=x onerror=alert(1)>-->`,
  `<!--><img src=x onerror=alert(1)>-->`,
  `<!-- --!><img src=x onerror=alert(1)>-->`,
  `<![CDATA[<img src=x onerror=alert(1)>]]>`,
  `<img src=x onerror=alert(1)`,
  `<p><a href="javascript:alert(1)">unclosed`,
  `<p style="color:red"><img src=x onerror=alert(1)`,
  `<div title="unclosed attribute><img src=x onerror=alert(1)>`,
  `<form action="javascript:alert(1)"><input type=submit></form>`,
  `<form><button formaction=javascript:alert(1)>X</button></form>`,
  `<button formaction="javascript:alert(1)">Y</button>`,
  `<input type="image" src="javascript:alert(1)" onfocus=alert(1) autofocus>`,
  `<isindex action=javascript:alert(1) type=image>`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<iframe><img src=x onerror=alert(1)></iframe>`,
  `<frameset><frame src="javascript:alert(1)"></frameset>`,
  `<object data="javascript:alert(1)"></object>`,
  `<object><param name="movie" value="javascript:alert(1)"></object>`,
  `<embed src="javascript:alert(1)">`,
  `<applet code="x"></applet>`,
  `<video poster=javascript:alert(1)><source src=x onerror=alert(1)></video>`,
  `<audio src=x onerror=alert(1)><track src=x></audio>`,
  `<style>@import 'https://evil.example/xss.css';</style>`,
  `<style>*{background:url("javascript:alert(1)")}</style>`,
  `<link rel="stylesheet" href="javascript:alert(1)">`,
  `<base href="javascript:alert(1)//">`,
  `<base href="https://evil.example/">`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<meta http-equiv="refresh" content="0; url=https://evil.example/">`,
  `<table background="javascript:alert(1)"><tr><td background="javascript:alert(1)">x</td></tr></table>`,
  `<blockquote cite="javascript:alert(1)">q</blockquote>`,
  `<div style="width: expression(alert(1));">ie</div>`,
  `<div style="background:url(javascript:alert(1))">bg</div>`,
  `<div style="background:url(java\\73 cript:alert(1))">escaped bg</div>`,
  `<div style="behavior: url(xss.htc); -moz-binding: url(xss.xml#xss)">binding</div>`,
  `<p data-bind="alert(1)" data-x="1">data attributes</p>`,
  `<a href="https://ok.example/" target="_blank" rel="opener">target</a>`,
  `<img src="x" name="cookie"><form name="getElementById"></form>`,
  `<div id="x"><a href="mhtml:file://C:/x.mht!xss.html">mhtml</a></div>`,
];

/** Elements that can run code, load a document or change how the rest of the page is parsed. */
export const FORBIDDEN_ELEMENTS = [
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "style",
  "link",
  "meta",
  "base",
  "form",
  "input",
  "button",
  "textarea",
  "select",
  "option",
  "noscript",
  "template",
  "video",
  "audio",
  "source",
  "track",
  "svg",
  "math",
  "foreignobject",
  "xmp",
  "plaintext",
  "noembed",
  "noframes",
  "title",
  "param",
  "isindex",
  "portal",
  "animate",
  "set",
];

/** Attributes that hold a URL. */
export const URL_ATTRIBUTES = [
  "href",
  "src",
  "xlink:href",
  "action",
  "formaction",
  "poster",
  "background",
  "cite",
  "data",
  "codebase",
  "longdesc",
  "lowsrc",
  "dynsrc",
  "ping",
  "srcset",
  "srcdoc",
];

/** A URL a browser would open as script or as a document of the attacker's making. */
export function unsafeUrl(value: string, allowDataImage: boolean): boolean {
  const v = value.replace(/[\x00-\x20]+/g, "").toLowerCase();
  if (/^(javascript|vbscript|livescript|mhtml):/.test(v)) return true;
  if (v.startsWith("data:")) return !(allowDataImage && v.startsWith("data:image/"));
  return false;
}
