import * as z from "zod/mini";
import { VIDEO_DESCRIPTION_MAX, VIDEO_TITLE_MAX } from "./limits";

/** media/uploadvideo's title and description (browser form and server action). */
export const massVideoSchema = z.object({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(VIDEO_TITLE_MAX)),
  description: z.string().check(z.trim(), z.maxLength(VIDEO_DESCRIPTION_MAX)),
});
export type MassVideoInput = z.input<typeof massVideoSchema>;
