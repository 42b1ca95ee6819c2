import { z } from "zod";

/**
 * Message bodies of the mass-send API, as WeChat's 「高级群发接口」 documents them. Video is `mpvideo` (a body
 * with msgtype `video` is refused with 40008: easywechat#757, wechatpy#54). Sends may use the
 * multi-image `images` form; preview takes a single `image.media_id` (silenceper PR #774).
 */
const mediaId = z.string().min(1).max(256);

export const mpnewsBody = z.object({ msgtype: z.literal("mpnews"), mpnews: z.object({ media_id: mediaId }) });
export const textBody = z.object({ msgtype: z.literal("text"), text: z.object({ content: z.string().min(1) }) });
export const imageBody = z.object({ msgtype: z.literal("image"), image: z.object({ media_id: mediaId }) });
export const imagesBody = z.object({
  msgtype: z.literal("image"),
  images: z.object({
    media_ids: z.array(mediaId).min(1).max(20),
    recommend: z.string().optional(),
    need_open_comment: z.union([z.literal(0), z.literal(1)]).optional(),
    only_fans_can_comment: z.union([z.literal(0), z.literal(1)]).optional(),
  }),
});
export const voiceBody = z.object({ msgtype: z.literal("voice"), voice: z.object({ media_id: mediaId }) });
export const mpvideoBody = z.object({
  msgtype: z.literal("mpvideo"),
  mpvideo: z.object({ media_id: mediaId, title: z.string().optional(), description: z.string().optional() }),
});
export const wxcardBody = z.object({ msgtype: z.literal("wxcard"), wxcard: z.object({ card_id: z.string().min(1), card_ext: z.string().optional() }) });

export const massMessageSchema = z.union([mpnewsBody, textBody, imageBody, imagesBody, voiceBody, mpvideoBody, wxcardBody]);
export type MassMessage = z.infer<typeof massMessageSchema>;

/** Preview: one image by media_id, not the `images` form. */
export const previewMessageSchema = z.union([mpnewsBody, textBody, imageBody, voiceBody, mpvideoBody, wxcardBody]);
export type PreviewMessage = z.infer<typeof previewMessageSchema>;

export const clientMsgIdSchema = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s, "utf8") <= 64, { message: "clientmsgid has at most 64 bytes" });

export const OPENID_RE = /^[A-Za-z0-9_-]{28}$/;
