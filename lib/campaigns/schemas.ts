import * as z from "zod/mini";
import { audienceSchema } from "@/lib/audiences/kinds";

import { TEXT_MAX } from "./limits";

// zod/mini (the same checks, as functions): these schemas are validated in the browser too, where
// zod classic would add ~39 KB gzip to the page (see bench/README.md, "Pages' script").
const message = z.discriminatedUnion("type", [
  // A news message is a draft version chosen in the picker; its media_id is found (or uploaded) on
  // the server at preview and send time, so the form never carries one.
  z.object({
    type: z.literal("mpnews"),
    newsDraftId: z.string().check(z.minLength(1, { message: "newsRequired" }), z.maxLength(64)),
    newsVersion: z.number().check(z.int(), z.minimum(1)),
  }),
  z.object({ type: z.literal("text"), content: z.string().check(z.trim(), z.minLength(1), z.maxLength(TEXT_MAX)) }),
  z.object({ type: z.literal("image"), mediaId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)) }),
  z.object({ type: z.literal("voice"), mediaId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)) }),
  z.object({
    type: z.literal("mpvideo"),
    mediaId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
    title: z.optional(z.string().check(z.maxLength(64))),
    description: z.optional(z.string().check(z.maxLength(120))),
  }),
  z.object({
    type: z.literal("wxcard"),
    cardId: z.string().check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, { message: "cardId" })),
  }),
]);

/** One schema for the compose form and the server action. */
export const campaignFormSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  message,
  sendIgnoreReprint: z.union([z.literal(0), z.literal(1)]),
  audience: audienceSchema,
});
export type CampaignFormInput = z.input<typeof campaignFormSchema>;
export type CampaignFormValues = z.output<typeof campaignFormSchema>;

export const sendRequestSchema = z.object({
  campaignId: z.string().check(z.minLength(1), z.maxLength(64)),
  /** ISO time to schedule, or null to send now */
  scheduledAt: z.nullable(z.string().check(z.iso.datetime({ offset: true }))),
});
