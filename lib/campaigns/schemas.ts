import { z } from "zod";
import { audienceSchema } from "@/lib/audiences/kinds";

// WeChat: a text mass message may be up to 2 048 bytes? The official text does not say; the web
// backend allows 600 characters for a text mass message, and WeChat's API refuses over-long
// bodies with 45002. qunfa keeps to 600 characters, the stricter of the two (chosen reading).
export const TEXT_MAX = 600;

const message = z.discriminatedUnion("type", [
  // A news message is a draft version chosen in the picker; its media_id is found (or uploaded) on
  // the server at preview and send time, so the form never carries one.
  z.object({ type: z.literal("mpnews"), newsDraftId: z.string().min(1, { message: "newsRequired" }).max(64), newsVersion: z.number().int().min(1) }),
  z.object({ type: z.literal("text"), content: z.string().trim().min(1).max(TEXT_MAX) }),
  z.object({ type: z.literal("image"), mediaId: z.string().trim().min(1).max(128) }),
  z.object({ type: z.literal("voice"), mediaId: z.string().trim().min(1).max(128) }),
  z.object({
    type: z.literal("mpvideo"),
    mediaId: z.string().trim().min(1).max(128),
    title: z.string().max(64).optional(),
    description: z.string().max(120).optional(),
  }),
  z.object({
    type: z.literal("wxcard"),
    cardId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, { message: "cardId" }),
  }),
]);

/** One schema for the compose form and the server action. */
export const campaignFormSchema = z.object({
  name: z.string().trim().min(1).max(80),
  message,
  sendIgnoreReprint: z.union([z.literal(0), z.literal(1)]),
  audience: audienceSchema,
});
export type CampaignFormInput = z.input<typeof campaignFormSchema>;
export type CampaignFormValues = z.output<typeof campaignFormSchema>;

export const sendRequestSchema = z.object({
  campaignId: z.string().min(1).max(64),
  /** ISO time to schedule, or null to send now */
  scheduledAt: z.string().datetime({ offset: true }).nullable(),
});
