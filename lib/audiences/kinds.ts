import * as z from "zod/mini";
import { AUDIENCE_KINDS, type AudienceKind } from "@/lib/enums";

export { AUDIENCE_KINDS, type AudienceKind };

/**
 * The audience as the compose form and the server action take it (one schema for both). A new kind
 * (followers, segments) adds a member here, a case in `lib/audiences/audience.ts`, and its words in
 * the `audiences` messages.
 */
export const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all"), confirmName: z.string() }),
  z.object({
    kind: z.literal("tag"),
    tagId: z.number().check(z.int(), z.minimum(0)),
    tagName: z.string().check(z.maxLength(64)),
    tagCount: z.optional(z.number().check(z.int(), z.minimum(0))),
  }),
  z.object({ kind: z.literal("list"), listId: z.string().check(z.minLength(1), z.maxLength(64)) }),
]);
export type AudienceInput = z.output<typeof audienceSchema>;

/** The name that follows the kind when an audience is shown ("tag · VIP"); none for everyone. */
export function audienceLabel(kind: AudienceKind | string, names: { tagName: string | null; listName: string | null }): string | null {
  return kind === "tag" ? names.tagName : kind === "list" ? names.listName : null;
}
