import { z } from "zod";
import { VIDEO_DESCRIPTION_MAX, VIDEO_TITLE_MAX } from "./limits";

/** media/uploadvideo's title and description (browser form and server action). */
export const massVideoSchema = z.object({
  title: z.string().trim().min(1).max(VIDEO_TITLE_MAX),
  description: z.string().trim().max(VIDEO_DESCRIPTION_MAX),
});
export type MassVideoInput = z.input<typeof massVideoSchema>;
