import type { ZodType, z } from "zod";
import { WeChatApiError } from "./errors";
import { callWeChat, type CallInit, type FetchLike } from "./http";
import type { MassMessage, PreviewMessage } from "./messages";
import * as S from "./schemas";
import type { TokenProvider } from "./token";

export type MediaType = "image" | "voice" | "video" | "thumb";
export interface UploadFile {
  data: Uint8Array | Blob;
  filename: string;
  contentType: string;
}

/** 45065 is not a failure: WeChat already has this clientmsgid and names the job's msg_id. */
export type SendResult = { status: "submitted"; msg_id: string; msg_data_id?: string } | { status: "already-submitted"; msg_id: string };

export interface ClientOptions {
  baseUrl: string;
  tokenProvider: TokenProvider;
  fetch?: FetchLike;
  timeoutMs?: number;
}

function formOf(file: UploadFile, extra: Record<string, string> = {}): FormData {
  const fd = new FormData();
  const blob = file.data instanceof Blob ? file.data : new Blob([file.data as BlobPart], { type: file.contentType });
  fd.append("media", blob, file.filename);
  for (const [k, v] of Object.entries(extra)) fd.append(k, v);
  return fd;
}

function flatten(m: MassMessage | PreviewMessage): Record<string, unknown> {
  // { msgtype, mpnews: {...} } is already WeChat's shape at the top level of the body.
  return { ...m };
}

/** A typed WeChat Official Account client for mass sending. Knows nothing of qunfa. */
export function createWeChatClient(o: ClientOptions) {
  const http = { baseUrl: o.baseUrl, fetch: o.fetch, timeoutMs: o.timeoutMs };

  /**
   * Calls with the current token; on 40001/42001/40014/41001 gets one fresh token and repeats the
   * identical request once (for a send, the same body and so the same clientmsgid).
   */
  async function authed<T>(init: CallInit, schema: ZodType<T>): Promise<T> {
    const token = await o.tokenProvider.getToken();
    try {
      return await callWeChat(http, { ...init, query: { ...init.query, access_token: token } }, schema);
    } catch (e) {
      if (e instanceof WeChatApiError && e.retry === "refresh-token") {
        const fresh = await o.tokenProvider.invalidate(token);
        return callWeChat(http, { ...init, query: { ...init.query, access_token: fresh } }, schema);
      }
      throw e;
    }
  }

  async function massSend(path: string, body: Record<string, unknown>): Promise<SendResult> {
    try {
      const r = await authed({ method: "POST", path, json: body }, S.sendResponse);
      return { status: "submitted", msg_id: r.msg_id, ...(r.msg_data_id ? { msg_data_id: r.msg_data_id } : {}) };
    } catch (e) {
      if (e instanceof WeChatApiError && e.errcode === 45065) {
        const msgId = (() => {
          try {
            const v = (JSON.parse(e.raw) as { msg_id?: unknown }).msg_id;
            return v === undefined || v === null ? null : String(v);
          } catch {
            return null;
          }
        })();
        if (msgId) return { status: "already-submitted", msg_id: msgId };
      }
      throw e;
    }
  }

  return {
    uploadMedia: async (type: MediaType, file: UploadFile) => {
      const v = S.mediaUploadRequest.parse({ type, filename: file.filename, contentType: file.contentType });
      return authed({ method: "POST", path: "cgi-bin/media/upload", query: { type: v.type }, form: formOf(file) }, S.mediaUploadResponse);
    },
    addMaterial: async (type: MediaType, file: UploadFile, video?: { title: string; introduction: string }) => {
      const v = S.mediaUploadRequest.parse({ type, filename: file.filename, contentType: file.contentType, video });
      return authed(
        {
          method: "POST",
          path: "cgi-bin/material/add_material",
          query: { type: v.type },
          form: formOf(file, v.video ? { description: JSON.stringify(v.video) } : {}),
        },
        S.materialResponse,
      );
    },
    uploadImg: (file: UploadFile) => authed({ method: "POST", path: "cgi-bin/media/uploadimg", form: formOf(file) }, S.uploadImgResponse),
    uploadNews: async (req: z.input<typeof S.uploadNewsRequest>) =>
      authed({ method: "POST", path: "cgi-bin/media/uploadnews", json: S.uploadNewsRequest.parse(req) }, S.newsResponse),
    // WeChat's 「高级群发接口」 names file.api.weixin.qq.com for uploadvideo in one place and api.weixin.qq.com in
    // another; both serve it. qunfa uses the account's one base URL (also the sandbox's).
    uploadVideo: async (req: z.input<typeof S.uploadVideoRequest>) =>
      authed({ method: "POST", path: "cgi-bin/media/uploadvideo", json: S.uploadVideoRequest.parse(req) }, S.newsResponse),
    getTags: () => authed({ method: "GET", path: "cgi-bin/tags/get" }, S.tagsResponse),
    getTagUsers: async (tagid: number, nextOpenid = "") =>
      authed({ method: "POST", path: "cgi-bin/user/tag/get", json: S.tagUsersRequest.parse({ tagid, next_openid: nextOpenid }) }, S.openidPageResponse),
    getUsers: async (nextOpenid = "") =>
      authed({ method: "GET", path: "cgi-bin/user/get", query: S.usersRequest.parse({ next_openid: nextOpenid || undefined }) }, S.openidPageResponse),
    sendAll: async (req: z.input<typeof S.sendAllRequest>) => {
      const v = S.sendAllRequest.parse(req);
      return massSend("cgi-bin/message/mass/sendall", {
        filter: v.filter,
        ...flatten(v.message),
        ...(v.send_ignore_reprint !== undefined ? { send_ignore_reprint: v.send_ignore_reprint } : {}),
        clientmsgid: v.clientmsgid,
      });
    },
    send: async (req: z.input<typeof S.sendRequest>) => {
      const v = S.sendRequest.parse(req);
      return massSend("cgi-bin/message/mass/send", {
        touser: v.touser,
        ...flatten(v.message),
        ...(v.send_ignore_reprint !== undefined ? { send_ignore_reprint: v.send_ignore_reprint } : {}),
        clientmsgid: v.clientmsgid,
      });
    },
    /** towxname wins over touser when both are given (WeChat's 「高级群发接口」); both are passed as given. */
    preview: async (req: z.input<typeof S.previewRequest>) => {
      const v = S.previewRequest.parse(req);
      const r = await authed(
        {
          method: "POST",
          path: "cgi-bin/message/mass/preview",
          json: {
            ...(v.touser ? { touser: v.touser } : {}),
            ...(v.towxname ? { towxname: v.towxname } : {}),
            ...flatten(v.message),
            clientmsgid: v.clientmsgid,
          },
        },
        S.previewResponse,
      );
      return { msg_id: r.msg_id ?? null };
    },
    deleteMass: async (req: z.input<typeof S.deleteRequest>) => {
      await authed({ method: "POST", path: "cgi-bin/message/mass/delete", json: S.deleteRequest.parse(req) }, S.okResponse);
    },
    getMassStatus: async (msgId: string) =>
      authed({ method: "POST", path: "cgi-bin/message/mass/get", json: S.massGetRequest.parse({ msg_id: msgId }) }, S.statusResponse),
    getSpeed: async () => authed({ method: "POST", path: "cgi-bin/message/mass/speed/get", json: S.speedGetRequest.parse({}) }, S.speedResponse),
    setSpeed: async (speed: number) => {
      await authed({ method: "POST", path: "cgi-bin/message/mass/speed/set", json: S.speedRequest.parse({ speed }) }, S.okResponse);
    },
  };
}

export type WeChatClient = ReturnType<typeof createWeChatClient>;
