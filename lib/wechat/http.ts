import type { ZodType } from "zod";
import { WeChatApiError, WeChatTransportError } from "./errors";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  baseUrl: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Never let a token into a message or a log line. */
export function redact(text: string): string {
  return text.replace(/(access_token=)[^&\s"]+/g, "$1***").replace(/("access_token"\s*:\s*")[^"]+/g, "$1***");
}

export interface CallInit {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
}

function url(base: string, path: string, query: Record<string, string | number | undefined> = {}) {
  const u = new URL(base.replace(/\/$/, "") + "/" + path.replace(/^\//, ""));
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

/**
 * One HTTP exchange with WeChat: a timeout on every call, the JSON parsed and checked against the
 * documented schema, a non-zero errcode turned into WeChatApiError (which keeps the raw body, so
 * 45065's msg_id is never lost). The access token is redacted from everything an error carries.
 */
export async function callWeChat<T>(o: HttpOptions, init: CallInit, schema: ZodType<T>): Promise<T> {
  const f = o.fetch ?? fetch;
  const endpoint = init.path.replace(/^\/?cgi-bin\//, "");
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), o.timeoutMs ?? 15_000);
  let res: Response;
  let text: string;
  try {
    res = await f(url(o.baseUrl, init.path, init.query), {
      method: init.method,
      headers: init.json !== undefined ? { "content-type": "application/json; charset=utf-8" } : undefined,
      // WeChat reads the JSON body as UTF-8 and does not want \uXXXX escapes for Chinese text.
      body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
      signal: ctrl.signal,
    });
    text = await res.text();
  } catch (e) {
    const aborted = ctrl.signal.aborted;
    throw new WeChatTransportError(
      aborted ? "timeout" : "network",
      endpoint,
      redact(aborted ? `no answer within ${o.timeoutMs ?? 15_000} ms` : (e as Error).message),
    );
  } finally {
    clearTimeout(timer);
  }
  if (res.status >= 500) throw new WeChatTransportError("http", endpoint, `HTTP ${res.status}`, res.status, redact(text.slice(0, 2000)));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new WeChatTransportError(
      res.ok ? "not-json" : "http",
      endpoint,
      res.ok ? "answer is not JSON" : `HTTP ${res.status}`,
      res.status,
      redact(text.slice(0, 2000)),
    );
  }
  const errcode = (body as { errcode?: unknown })?.errcode;
  if (typeof errcode === "number" && errcode !== 0) {
    throw new WeChatApiError(errcode, String((body as { errmsg?: unknown }).errmsg ?? ""), endpoint, redact(text.slice(0, 4000)));
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new WeChatTransportError(
      "schema",
      endpoint,
      `answer does not match the documented shape: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`,
      res.status,
      redact(text.slice(0, 2000)),
    );
  }
  return parsed.data;
}
