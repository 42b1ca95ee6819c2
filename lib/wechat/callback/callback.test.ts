import { describe, expect, it } from "vitest";
import { CallbackCryptoError, decryptMessage, decryptWithKeys, encryptMessage, pkcs7Pad } from "./crypto";
import { msgSignature, sha1Sorted, verifyMsgSignature, verifySignature } from "./signature";
import { buildXml, CallbackXmlError, MAX_XML_DEPTH, parseCallbackXml } from "./xml";
import { dedupeKey, toPush } from "./events";
import { createCipheriv } from "node:crypto";

// Known-answer vectors published by wechatpy (github.com/wechatpy/wechatpy, tests/test_crypto.py,
// CryptoTestCase): WeChat's message crypto with token "123456", EncodingAESKey
// "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR" and id "wx49f0ab532d5d035a". The same scheme (and
// the same WXBizMsgCrypt code) serves Official Account pushes.
const KAT = {
  token: "123456",
  aesKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
  appid: "wx49f0ab532d5d035a",
  decrypt: {
    encrypt:
      "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2w" +
      "ASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3" +
      "So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=",
    signature: "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
    timestamp: "1411525903",
    nonce: "461056294",
  },
  encrypt: {
    random: "1234567890123456",
    nonce: "461056294",
    timestamp: "1411525903",
    reply: `<xml>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[test]]></Content>
<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>
<ToUserName><![CDATA[messense]]></ToUserName>
<AgentID>1</AgentID>
<CreateTime>1411525903</CreateTime>
</xml>`,
    expectedEncrypt:
      "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2" +
      "FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG" +
      "0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3",
    expectedSignature: "407518b7649e86ef23978113f92d27afa9296533",
  },
  echo: {
    signature: "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
    timestamp: "1411443780",
    nonce: "437374425",
    echostr: "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==",
  },
};

describe("callback signatures (known answers)", () => {
  it("verifies the published msg_signature of a push and of a URL check", () => {
    const d = KAT.decrypt;
    expect(verifyMsgSignature(KAT.token, d.timestamp, d.nonce, d.encrypt, d.signature)).toBe(true);
    expect(verifyMsgSignature(KAT.token, d.timestamp, "461056295", d.encrypt, d.signature)).toBe(false);
    const e = KAT.echo;
    expect(verifyMsgSignature(KAT.token, e.timestamp, e.nonce, e.echostr, e.signature)).toBe(true);
    // wechatpy's failing case: one digit of the nonce differs
    expect(verifyMsgSignature(KAT.token, e.timestamp, "437374424", e.echostr, e.signature)).toBe(false);
  });

  it("plain signature: wechatpy's known answer (tests/test_utils.py, test_check_signature_should_ok / _fail)", () => {
    // token "test", timestamp "1410685589", nonce "test" → f21891de…a443ff; one hex digit off fails.
    expect(verifySignature("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff")).toBe(true);
    expect(verifySignature("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443fe")).toBe(false);
    expect(sha1Sorted(["test", "1410685589", "test"])).toBe("f21891de399b4e33a1a93c9a7b8a8fffb5a443ff");
  });

  it("plain signature is sha1 of the sorted parts", () => {
    const sig = sha1Sorted(["tok", "1409659813", "1372623149"]);
    expect(verifySignature("tok", "1409659813", "1372623149", sig)).toBe(true);
    expect(verifySignature("tok", "1409659813", "1372623149", sig.toUpperCase())).toBe(true);
    expect(verifySignature("tok2", "1409659813", "1372623149", sig)).toBe(false);
    expect(verifySignature("tok", "1409659813", "1372623149", "")).toBe(false);
  });
});

describe("callback AES (known answers)", () => {
  it("decrypts the published push and its URL-check echostr", () => {
    const xml = decryptMessage(KAT.decrypt.encrypt, KAT.aesKey, KAT.appid);
    const doc = parseCallbackXml(xml);
    expect(doc.Content).toBe("test");
    expect(doc.FromUserName).toBe("messense");
    expect(decryptMessage(KAT.echo.echostr, KAT.aesKey, KAT.appid).length).toBeGreaterThan(0);
  });

  it("encrypts to the published ciphertext and signature with the same random prefix", () => {
    const e = KAT.encrypt;
    const enc = encryptMessage(e.reply, KAT.aesKey, KAT.appid, Buffer.from(e.random, "utf8"));
    expect(enc).toBe(e.expectedEncrypt);
    expect(msgSignature(KAT.token, e.timestamp, e.nonce, enc)).toBe(e.expectedSignature);
  });

  it("round-trips, pads to 32-byte blocks", () => {
    for (const xml of ["<xml/>", "<xml><A>群发</A></xml>", "x".repeat(1000)]) {
      const enc = encryptMessage(xml, KAT.aesKey, "wxappid0000000000");
      expect(Buffer.from(enc, "base64").length % 32).toBe(0);
      expect(decryptMessage(enc, KAT.aesKey, "wxappid0000000000")).toBe(xml);
    }
    expect(pkcs7Pad(Buffer.alloc(32)).length).toBe(64);
  });

  it("refuses tampered ciphertext, a wrong appid, bad padding and a wrong key", () => {
    const enc = encryptMessage("<xml><A>1</A></xml>", KAT.aesKey, KAT.appid);
    const raw = Buffer.from(enc, "base64");
    raw[raw.length - 1] ^= 0x5a;
    expect(() => decryptMessage(raw.toString("base64"), KAT.aesKey, KAT.appid)).toThrow(CallbackCryptoError);
    expect(() => decryptMessage(enc, KAT.aesKey, "wxsomeoneelse00000")).toThrow(/wrong-appid/);
    const other = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    expect(() => decryptMessage(enc, other, KAT.appid)).toThrow(CallbackCryptoError);
    // A block whose padding bytes disagree.
    const key = Buffer.from(KAT.aesKey + "=", "base64");
    const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
    c.setAutoPadding(false);
    const bad = Buffer.concat([c.update(Buffer.concat([Buffer.alloc(31, 7), Buffer.from([5])])), c.final()]);
    expect(() => decryptMessage(bad.toString("base64"), KAT.aesKey, KAT.appid)).toThrow(/bad-padding/);
    expect(() => decryptMessage("not base64 at all!", KAT.aesKey, KAT.appid)).toThrow(CallbackCryptoError);
    expect(() => encryptMessage("<xml/>", "short", KAT.appid)).toThrow(/bad-key/);
  });

  it("falls back to the previous EncodingAESKey, and says which key worked", () => {
    const prev = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const enc = encryptMessage("<xml><A>old</A></xml>", prev, KAT.appid);
    expect(decryptWithKeys(enc, [KAT.aesKey, prev], KAT.appid)).toEqual({ xml: "<xml><A>old</A></xml>", keyIndex: 1 });
    expect(() => decryptWithKeys(enc, [KAT.aesKey, null], KAT.appid)).toThrow(CallbackCryptoError);
  });
});

describe("callback XML", () => {
  it("refuses XXE and billion-laughs payloads, oversized and malformed bodies", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>`;
    expect(() => parseCallbackXml(xxe)).toThrow(/doctype/);
    const laughs =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml>` +
      `<A>&lol2;</A></xml>`;
    expect(() => parseCallbackXml(laughs)).toThrow(/doctype/);
    expect(() => parseCallbackXml(`<xml><A>${"x".repeat(300 * 1024)}</A></xml>`)).toThrow(/too-large/);
    expect(() => parseCallbackXml("<xml><A>1</B></xml>")).toThrow(/malformed/);
    expect(() => parseCallbackXml("just text")).toThrow(CallbackXmlError);
    expect(() => parseCallbackXml("<notxml><A>1</A></notxml>")).toThrow(/malformed/);
  });

  it("refuses nesting deeper than any push of WeChat's before parsing, in linear time", () => {
    const deep = (n: number) => `<xml>${"<a>".repeat(n)}x${"</a>".repeat(n)}</xml>`;
    expect(() => parseCallbackXml(deep(20_000))).toThrow(/too-deep/);
    expect(() => parseCallbackXml(deep(MAX_XML_DEPTH))).toThrow(/too-deep/);
    expect(parseCallbackXml(deep(MAX_XML_DEPTH - 1))).toBeTypeOf("object");
    // Self-closing tags, comments, CDATA and processing instructions do not count as levels.
    const flat = `<?xml version="1.0"?><xml><!-- <a><a><a> --><A><![CDATA[<b><b><b>]]></A>${"<e/>".repeat(50_000)}</xml>`;
    expect(parseCallbackXml(flat)).toMatchObject({ A: "<b><b><b>" });
    // Unclosed comments and CDATA sections are left to the validator (malformed), quickly.
    const t0 = performance.now();
    expect(() => parseCallbackXml(`<xml>${"<![CDATA[".repeat(25_000)}</xml>`)).toThrow(/malformed/);
    expect(() => parseCallbackXml(`<xml>${"<!--".repeat(60_000)}</xml>`)).toThrow(/malformed/);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("keeps long numbers as strings and builds CDATA safely", () => {
    const doc = parseCallbackXml("<xml><MsgId>6051729637017174211</MsgId><A><![CDATA[a]]></A></xml>");
    expect(doc.MsgId).toBe("6051729637017174211");
    expect(parseCallbackXml(buildXml({ A: "x]]>y", N: 3 }))).toEqual({ A: "x]]>y", N: "3" });
  });
});

// The full MassSendJobFinish sample from Senparc.Weixin's tests.
const SAMPLE = `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>
<MsgID>1000001625</MsgID><Status><![CDATA[err(30003)]]></Status><TotalCount>0</TotalCount><FilterCount>0</FilterCount>
<SentCount>0</SentCount><ErrorCount>0</ErrorCount>
<CopyrightCheckResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx><UserDeclareState>0</UserDeclareState>
<AuditState>2</AuditState><OriginalArticleUrl><![CDATA[Url_1]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType>
<CanReprint>1</CanReprint><NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item>
<item><ArticleIdx>2</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState><OriginalArticleUrl><![CDATA[Url_2]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType><CanReprint>1</CanReprint><NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item></ResultList><CheckState>2</CheckState></CopyrightCheckResult>
<ArticleUrlResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[Url_1]]></ArticleUrl></item>
<item><ArticleIdx>2</ArticleIdx><ArticleUrl><![CDATA[Url_2]]></ArticleUrl></item></ResultList></ArticleUrlResult></xml>`;

describe("MASSSENDJOBFINISH", () => {
  it("parses the full sample with every field", () => {
    const p = toPush(parseCallbackXml(SAMPLE));
    expect(p.kind).toBe("MASSSENDJOBFINISH");
    if (p.kind !== "MASSSENDJOBFINISH") return;
    expect(p).toMatchObject({
      ToUserName: "gh_4d00ed8d6399",
      FromUserName: "oV5CrjpxgaGXNHIQigzNlgLTnwic",
      CreateTime: 1481013459,
      MsgID: "1000001625",
      Status: "err(30003)",
      TotalCount: 0,
      FilterCount: 0,
      SentCount: 0,
      ErrorCount: 0,
    });
    expect(p.CopyrightCheckResult).toEqual({
      Count: 2,
      CheckState: 2,
      ResultList: [1, 2].map((i) => ({
        ArticleIdx: i,
        UserDeclareState: 0,
        AuditState: 2,
        OriginalArticleUrl: `Url_${i}`,
        OriginalArticleType: 1,
        CanReprint: 1,
        NeedReplaceContent: 1,
        NeedShowReprintSource: 1,
      })),
    });
    expect(p.ArticleUrlResult).toEqual({
      Count: 2,
      ResultList: [
        { ArticleIdx: 1, ArticleUrl: "Url_1" },
        { ArticleIdx: 2, ArticleUrl: "Url_2" },
      ],
    });
    expect(dedupeKey(p)).toBe("mass:1000001625");
  });

  it("a single item is still a list, and MsgId is read when MsgID is absent", () => {
    const one = SAMPLE.replace(/<item><ArticleIdx>2<\/ArticleIdx>.*?<\/item>/gs, "").replace("<MsgID>1000001625</MsgID>", "<MsgId>77</MsgId>");
    const p = toPush(parseCallbackXml(one));
    if (p.kind !== "MASSSENDJOBFINISH") throw new Error("kind");
    expect(p.MsgID).toBe("77");
    expect(p.CopyrightCheckResult?.ResultList).toHaveLength(1);
    expect(p.ArticleUrlResult?.ResultList).toEqual([{ ArticleIdx: 1, ArticleUrl: "Url_1" }]);
  });

  it("other events and messages are generic, with their dedupe keys", () => {
    const sub = toPush(
      parseCallbackXml(
        "<xml><ToUserName>gh</ToUserName><FromUserName>oA</FromUserName><CreateTime>123</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>",
      ),
    );
    expect(sub).toMatchObject({ kind: "event", Event: "subscribe" });
    expect(dedupeKey(sub)).toBe("evt:oA:123:subscribe");
    const msg = toPush(
      parseCallbackXml(
        "<xml><ToUserName>gh</ToUserName><FromUserName>oA</FromUserName><CreateTime>123</CreateTime><MsgType>text</MsgType><Content>hi</Content>" +
          "<MsgId>6051729637017174211</MsgId></xml>",
      ),
    );
    expect(msg).toMatchObject({ kind: "message", MsgType: "text", MsgId: "6051729637017174211" });
    expect(dedupeKey(msg)).toBe("msg:6051729637017174211");
  });
});
