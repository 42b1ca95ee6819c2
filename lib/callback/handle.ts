import type { Db } from "@/db/client";
import { recordCallbackVerified } from "@/lib/accounts/account-service";
import {
  CallbackCryptoError,
  CallbackXmlError,
  decryptWithKeys,
  dedupeKey,
  parseCallbackXml,
  toPush,
  verifyMsgSignature,
  verifySignature,
  MAX_XML_DEPTH,
} from "@/lib/wechat";
import { env } from "@/lib/config/env";
import { BODY_LIMITS, BodyTooLargeError, readTextLimited } from "@/lib/http/body-limit";
import { publicRequest, PublicFetchError } from "@/lib/net/public-fetch";
import { loadCallbackAccount, type CallbackAccount } from "@/lib/accounts/callback-account";
import { recordPushBatched, recordRefusal, type RefusalReason } from "./record";
import { applyInGroup } from "./apply-batch";
import { applyRecordedFinish } from "@/lib/campaigns/results";
import { jobResultOfPush } from "@/lib/campaigns/job-result";

const TIMESTAMP_SKEW_S = 5 * 60;
/** A passive reply WeChat accepts is a small XML message; anything larger is not one. */
const RELAY_REPLY_MAX_BYTES = 256 * 1024;
/** After an admin changes the EncodingAESKey, the previous one still decrypts for this long. */
const PREVIOUS_KEY_GRACE_MS = 24 * 3600_000;

const text = (body: string, status = 200) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export interface CallbackDeps {
  db: Db;
  /** whether the relay URL may be a private address (default: QUNFA_RELAY_PRIVATE) */
  relayPrivateAllowed?: boolean;
  remote?: string | null;
  now?: () => number;
}

async function refuse(d: CallbackDeps, accountId: string | null, reason: RefusalReason, status: number, detail: Record<string, unknown> = {}) {
  await recordRefusal(d.db, accountId, reason, d.remote ?? null, detail).catch(() => {});
  return text(reason, status);
}

/** GET: WeChat verifies the server URL; the echostr goes back only under a correct signature. */
export async function handleVerify(d: CallbackDeps, accountId: string, url: URL): Promise<Response> {
  const account = await loadCallbackAccount(d.db, accountId, { fresh: true });
  if (!account) return refuse(d, null, "unknown-account", 404, { accountId });
  const q = url.searchParams;
  const [signature, timestamp, nonce, echostr] = ["signature", "timestamp", "nonce", "echostr"].map((k) => q.get(k) ?? "");
  if (!signature || !timestamp || !nonce || !echostr) return refuse(d, accountId, "missing-params", 400);
  if (!verifySignature(account.callbackToken, timestamp, nonce, signature)) return refuse(d, accountId, "bad-signature", 403, { kind: "verify" });
  await recordCallbackVerified(d.db, accountId);
  return text(echostr);
}

/** WeChat waits 5 s; this long after a push arrived, the answer goes out and applying its result finishes in the background. */
const ANSWER_WITHIN_MS = 4_000;

type Opened = { ok: true; xml: string; doc: Record<string, unknown> } | { ok: false; reason: RefusalReason; status: number; detail?: Record<string, unknown> };

/** What the admins' refusal list says about XML that is counted as malformed for a reason of its own. */
function xmlRefusalDetail(e: unknown): Record<string, unknown> | undefined {
  return e instanceof CallbackXmlError && e.reason === "too-deep" ? { why: `elements nested more than ${MAX_XML_DEPTH} levels deep` } : undefined;
}

/** Signature, timestamp, envelope and decryption of one push, against one reading of the account. */
function openPush(account: CallbackAccount, q: URLSearchParams, body: string, nowS: number): Opened {
  const [signature, timestamp, nonce] = ["signature", "timestamp", "nonce"].map((k) => q.get(k) ?? "");
  if (!verifySignature(account.callbackToken, timestamp, nonce, signature)) return { ok: false, reason: "bad-signature", status: 403 };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > TIMESTAMP_SKEW_S)
    return { ok: false, reason: "stale-timestamp", status: 403, detail: { timestamp } };
  let outer: Record<string, unknown>;
  try {
    outer = parseCallbackXml(body);
  } catch (e) {
    const reason = e instanceof CallbackXmlError ? (e.reason === "doctype" ? "doctype" : e.reason === "too-large" ? "too-large" : "malformed") : "malformed";
    return { ok: false, reason, status: 400, detail: xmlRefusalDetail(e) };
  }
  const encrypted = q.get("encrypt_type") === "aes" || typeof outer.Encrypt === "string";
  if (account.messageMode === "safe" && !encrypted)
    return { ok: false, reason: "bad-signature", status: 403, detail: { why: "safe mode needs an encrypted push" } };
  if (!encrypted) return { ok: true, xml: body, doc: outer };
  const encrypt = typeof outer.Encrypt === "string" ? outer.Encrypt : "";
  const msgSig = q.get("msg_signature") ?? "";
  if (!encrypt || !msgSig || !verifyMsgSignature(account.callbackToken, timestamp, nonce, encrypt, msgSig))
    return { ok: false, reason: "bad-signature", status: 403, detail: { kind: "msg_signature" } };
  const keys = [account.aesKey];
  if (account.aesKeyPrev && account.aesKeyChangedAt && Date.now() - account.aesKeyChangedAt.getTime() < PREVIOUS_KEY_GRACE_MS) keys.push(account.aesKeyPrev);
  try {
    const xml = decryptWithKeys(encrypt, keys, account.appid).xml;
    return { ok: true, xml, doc: parseCallbackXml(xml) };
  } catch (e) {
    if (e instanceof CallbackCryptoError) return { ok: false, reason: e.reason === "wrong-appid" ? "wrong-appid" : "decrypt-failed", status: 403 };
    if (e instanceof CallbackXmlError) return { ok: false, reason: e.reason === "doctype" ? "doctype" : "malformed", status: 400, detail: xmlRefusalDetail(e) };
    throw e;
  }
}

/**
 * POST: verify, decrypt, parse, record once, apply. Every refusal is counted and stores no event.
 * Whatever happens after recording, WeChat gets "success" (or the relay's reply) well inside 5 s:
 * a result that fails to apply stays recorded and is applied again by the callback sweep.
 */
export async function handlePush(d: CallbackDeps, accountId: string, req: Request): Promise<Response> {
  const arrived = performance.now();
  let account = await loadCallbackAccount(d.db, accountId);
  if (!account) return refuse(d, null, "unknown-account", 404, { accountId });
  const url = new URL(req.url);
  const q = url.searchParams;
  const [signature, timestamp, nonce] = ["signature", "timestamp", "nonce"].map((k) => q.get(k) ?? "");
  if (!signature || !timestamp || !nonce) return refuse(d, accountId, "missing-params", 400);
  let body: string;
  try {
    body = await readTextLimited(req, BODY_LIMITS.callback);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return refuse(d, accountId, "too-large", 413, { limit: e.limit });
    throw e;
  }
  const nowS = (d.now ?? Date.now)() / 1000;
  let opened = openPush(account, q, body, nowS);
  if (!opened.ok) {
    // The account may have been read before an admin changed its token, key or mode: nothing is
    // refused on a cached reading.
    account = await loadCallbackAccount(d.db, accountId, { fresh: true });
    if (!account) return refuse(d, null, "unknown-account", 404, { accountId });
    opened = openPush(account, q, body, nowS);
    if (!opened.ok) return refuse(d, accountId, opened.reason, opened.status, opened.detail);
  }
  const { xml, doc } = opened;
  const push = toPush(doc);
  if (push.kind !== "MASSSENDJOBFINISH" && !push.MsgType) return refuse(d, accountId, "malformed", 400, { why: "no MsgType" });
  const key = dedupeKey(push);
  const mass = push.kind === "MASSSENDJOBFINISH" ? push : null;

  // Nonce, record and batch lookup: one statement, shared with the pushes arriving meanwhile. If it fails nothing was stored, so WeChat's
  // retry (it retries on anything but a prompt answer) is what we want: answer 503.
  let rec: Awaited<ReturnType<typeof recordPushBatched>>;
  try {
    rec = await recordPushBatched(
      d.db,
      `${accountId}:${timestamp}:${nonce}`,
      {
        accountId,
        dedupeKey: key,
        msgType: push.kind === "MASSSENDJOBFINISH" ? "event" : push.MsgType,
        event: push.kind === "MASSSENDJOBFINISH" ? "MASSSENDJOBFINISH" : push.Event,
        fromUser: push.FromUserName || null,
        createTime: push.CreateTime || null,
        rawXml: xml,
        parsed: push.kind === "MASSSENDJOBFINISH" ? { ...push, raw: undefined } : push.raw,
      },
      mass ? mass.MsgID : null,
    );
  } catch (e) {
    console.error(`[qunfa] recording a push for ${accountId} failed: ${(e as Error).message}`);
    return text("retry later", 503);
  }
  if (rec.nonce === "replay") return refuse(d, accountId, "replayed-nonce", 403);

  if (mass) {
    // Recorded: from here on WeChat gets "success". A known batch gets its result now from the
    // campaigns' results owner, in one transaction with the results arriving meanwhile (a failure
    // stays on the event and the sweep retries); an unknown MsgID waits for its batch.
    if (rec.id !== null && rec.batchId !== null) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Counted from the push's arrival: time spent waiting to be recorded is part of WeChat's 5 s.
      const late = new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, ANSWER_WITHIN_MS - (performance.now() - arrived)))));
      const eventId = rec.id;
      const result = jobResultOfPush(mass);
      await Promise.race([applyInGroup(d.db, (tx) => applyRecordedFinish(tx, accountId, eventId, mass.MsgID, result)), late]);
      clearTimeout(timer);
    }
    return text("success");
  }
  if (account.relayUrl) return relay(d, account.relayUrl, url, body, rec.id);
  return text("success");
}

/**
 * Everything but mass-send results goes on to the account's own server unchanged (same query and
 * body, so its signature check passes), and its reply comes back if it is in time.
 */
async function relay(d: CallbackDeps, relayUrl: string, url: URL, body: string, eventId: number | null): Promise<Response> {
  const target = new URL(relayUrl);
  for (const [k, v] of url.searchParams) target.searchParams.append(k, v);
  try {
    // The same rule as images fetched for articles: only public addresses, checked by the socket's
    // own lookup, unless the operator allows the account's server to sit on a private network.
    const res = await publicRequest({
      url: target,
      method: "POST",
      body,
      headers: { "content-type": "text/xml" },
      timeoutMs: 4_000,
      maxBytes: RELAY_REPLY_MAX_BYTES,
      allowPrivate: d.relayPrivateAllowed ?? env.relayPrivateAllowed,
    });
    const ok = res.status >= 200 && res.status < 300;
    await markRelay(d, eventId, ok ? "ok" : `http ${res.status}`);
    if (ok) return new Response(new Uint8Array(res.body), { headers: { "content-type": String(res.headers["content-type"] ?? "text/xml; charset=utf-8") } });
  } catch (e) {
    const why = e instanceof PublicFetchError && e.reason === "not-public" ? "refused: not a public address" : `error: ${(e as Error).message}`;
    await markRelay(d, eventId, why.slice(0, 200));
    console.warn(`[qunfa] relay to ${target.origin} failed: ${(e as Error).message}`);
  }
  return text("success");
}

async function markRelay(d: CallbackDeps, eventId: number | null, status: string) {
  if (eventId === null) return;
  const { callbackEvents } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  await d.db.update(callbackEvents).set({ relayStatus: status }).where(eq(callbackEvents.id, eventId));
}
