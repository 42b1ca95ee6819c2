import { z } from "zod";
import { clientMsgIdSchema, massMessageSchema, previewMessageSchema } from "./messages";

const idLike = z.union([z.number(), z.string()]).transform((v) => String(v));
const flag = z.union([z.literal(0), z.literal(1)]);

// ---- requests
export const articleSchema = z.object({
  thumb_media_id: z.string().min(1),
  author: z.string().optional(),
  title: z.string().min(1),
  content_source_url: z.string().optional(),
  content: z.string().min(1),
  digest: z.string().optional(),
  show_cover_pic: flag.optional(),
  need_open_comment: flag.optional(),
  only_fans_can_comment: flag.optional(),
});
export const uploadNewsRequest = z.object({ articles: z.array(articleSchema).min(1).max(8) });
export const uploadVideoRequest = z.object({ media_id: z.string().min(1), title: z.string(), description: z.string() });

export const sendAllRequest = z.object({
  filter: z.union([z.object({ is_to_all: z.literal(true) }), z.object({ is_to_all: z.literal(false), tag_id: z.number().int().min(0) })]),
  message: massMessageSchema,
  /** 1: keep sending when an article is judged a reprint; 0: stop (WeChat's default). Not inverted (WxJava PR #1679). */
  send_ignore_reprint: flag.optional(),
  clientmsgid: clientMsgIdSchema,
});
// 2–10 000 non-empty OpenIDs, checked by one loop over the array as given: an element-by-element
// z.array(z.string()) parse of 10 000 OpenIDs costs milliseconds on every send (and copies it).
const openIdList = z
  .custom<string[]>((v) => Array.isArray(v) && v.every((o) => typeof o === "string" && o.length > 0), { message: "touser must be a list of OpenIDs" })
  .check((ctx) => {
    if (ctx.value.length < 2) ctx.issues.push({ code: "custom", message: "touser needs at least 2 OpenIDs", input: ctx.value });
    if (ctx.value.length > 10_000) ctx.issues.push({ code: "custom", message: "touser takes at most 10 000 OpenIDs", input: ctx.value });
  });
export const sendRequest = z.object({
  touser: openIdList,
  message: massMessageSchema,
  send_ignore_reprint: flag.optional(),
  clientmsgid: clientMsgIdSchema,
});
export const previewRequest = z
  // A clientmsgid on every preview too: a preview retried after a timeout must not land twice in the
  // tester's chat, and previews count against a quota of 100 a day.
  .object({ touser: z.string().min(1).optional(), towxname: z.string().min(1).optional(), message: previewMessageSchema, clientmsgid: clientMsgIdSchema })
  // A preview with no recipient must never be sent (silenceper's Preview() sent it to everyone).
  .refine((v) => !!v.touser || !!v.towxname, { message: "preview needs touser or towxname" });
export const deleteRequest = z.union([
  z.object({ msg_id: z.union([z.string().min(1), z.number()]), article_idx: z.number().int().min(0).max(8).optional() }),
  z.object({ url: z.string().url() }),
]);
export const speedRequest = z.object({ speed: z.number().int().min(0).max(4) });
export const speedGetRequest = z.object({}).strict();
export const massGetRequest = z.object({
  msg_id: z.union([z.string().regex(/^\d+$/, { message: "msg_id is a number" }), z.number().int().nonnegative()]).transform(String),
});
/** user/tag/get: one page of a tag's followers; next_openid "" starts from the first. */
export const tagUsersRequest = z.object({ tagid: z.number().int().min(0), next_openid: z.string().max(64).default("") });
/** user/get (a GET): next_openid only when continuing. */
export const usersRequest = z.object({ next_openid: z.string().max(64).optional() });
export const mediaTypeSchema = z.enum(["image", "voice", "video", "thumb"]);
/** media/upload and material/add_material: `type` in the query, the file as multipart `media`. */
export const mediaUploadRequest = z.object({
  type: mediaTypeSchema,
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1),
  /** Permanent video only: add_material's `description` form field. */
  video: z.object({ title: z.string().min(1).max(64), introduction: z.string().max(120) }).optional(),
});

// ---- responses
export const okResponse = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() }).passthrough();
export const mediaUploadResponse = z
  .object({ type: z.string(), media_id: z.string().optional(), thumb_media_id: z.string().optional(), created_at: z.union([z.number(), z.string()]) })
  .refine((v) => !!(v.media_id ?? v.thumb_media_id), { message: "media_id missing" })
  .transform((v) => ({ type: v.type, media_id: (v.media_id ?? v.thumb_media_id)!, created_at: Number(v.created_at) }));
export const materialResponse = z.object({ media_id: z.string().min(1), url: z.string().optional() });
export const uploadImgResponse = z.object({ url: z.string().min(1) });
export const newsResponse = z.object({ type: z.string(), media_id: z.string().min(1), created_at: z.union([z.number(), z.string()]).transform(Number) });
export const tagsResponse = z.object({ tags: z.array(z.object({ id: z.number(), name: z.string(), count: z.number() })) });
export const openidPageResponse = z.object({
  total: z.number().optional(),
  count: z.number(),
  data: z.object({ openid: z.array(z.string()) }).optional(),
  next_openid: z.string().optional().default(""),
});
export const sendResponse = z.object({ msg_id: idLike, msg_data_id: idLike.optional() });
export const previewResponse = z.object({ msg_id: idLike.optional() });
export const statusResponse = z.object({ msg_id: idLike, msg_status: z.enum(["SEND_SUCCESS", "SENDING", "SEND_FAIL", "DELETE"]) });
export const speedResponse = z.object({ speed: z.number().int(), realspeed: z.number() });
