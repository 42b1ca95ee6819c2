// The baseline of bench/callback.ts: node-webot's `wechat` middleware (verify msg_signature,
// decrypt, parse with xml2js; no storage) on express, answering "success" like our route.
// Run by the bench: node bench/callback-baseline.mjs <port> (token, appid, key in the environment).
import express from "express";
import wechat from "wechat";

const port = Number(process.argv[2] || 3299);
const app = express();
app.use(
  "/wechat",
  wechat({ token: process.env.BENCH_TOKEN, appid: process.env.BENCH_APPID, encodingAESKey: process.env.BENCH_AES_KEY, checkSignature: true }, (req, res) => {
    // Reached only after the signature check, decryption and parsing.
    if (req.weixin && req.weixin.Event === "MASSSENDJOBFINISH") return res.end("success");
    res.writeHead(400);
    res.end("unexpected");
  }),
);
app.listen(port, "127.0.0.1", () => process.send?.("ready"));
