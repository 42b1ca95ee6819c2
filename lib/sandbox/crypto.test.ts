import { describe, expect, it } from "vitest";
import { sbDecrypt, sbEncrypt, sbSignature } from "./crypto";

// The sandbox signs and encrypts its pushes with its own code (lib/sandbox/crypto.ts, written from
// WeChat's text and importing nothing from lib/wechat). It is checked here against the same
// known-answer vectors as lib/wechat/callback/callback.test.ts, copied, not imported.
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

describe("sandbox crypto (wechatpy's known answers)", () => {
  it("sbSignature: the published msg_signature of a push and of a URL check; one nonce digit off fails", () => {
    const d = KAT.decrypt;
    expect(sbSignature(KAT.token, d.timestamp, d.nonce, d.encrypt)).toBe(d.signature);
    expect(sbSignature(KAT.token, d.timestamp, "461056295", d.encrypt)).not.toBe(d.signature);
    const e = KAT.echo;
    expect(sbSignature(KAT.token, e.timestamp, e.nonce, e.echostr)).toBe(e.signature);
    expect(sbSignature(KAT.token, e.timestamp, "437374424", e.echostr)).not.toBe(e.signature);
  });

  it("sbEncrypt: with the published random prefix, the published ciphertext and signature", () => {
    const e = KAT.encrypt;
    const enc = sbEncrypt(e.reply, KAT.aesKey, KAT.appid, Buffer.from(e.random, "utf8"));
    expect(enc).toBe(e.expectedEncrypt);
    expect(sbSignature(KAT.token, e.timestamp, e.nonce, enc)).toBe(e.expectedSignature);
  });

  it("sbDecrypt: the published push decrypts to its XML and appid", () => {
    const { xml, appid } = sbDecrypt(KAT.decrypt.encrypt, KAT.aesKey);
    expect(appid).toBe(KAT.appid);
    expect(xml).toContain("<Content><![CDATA[test]]></Content>");
    expect(sbDecrypt(KAT.encrypt.expectedEncrypt, KAT.aesKey).xml).toBe(KAT.encrypt.reply);
  });

  it("pads to 32-byte blocks (WeChat's PKCS#7 variant) and round-trips", () => {
    for (const xml of ["<xml/>", "<xml><A>群发</A></xml>", "x".repeat(1000)]) {
      const enc = sbEncrypt(xml, KAT.aesKey, "wxappid0000000000");
      expect(Buffer.from(enc, "base64").length % 32).toBe(0);
      expect(sbDecrypt(enc, KAT.aesKey)).toEqual({ xml, appid: "wxappid0000000000" });
    }
  });
});
