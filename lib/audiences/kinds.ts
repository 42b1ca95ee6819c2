import { z } from "zod";
import { AUDIENCE_KINDS, type AudienceKind } from "@/lib/enums";

export { AUDIENCE_KINDS, type AudienceKind };

/**
 * The audience as the compose form and the server action take it (one schema for both). A new kind
 * (followers, segments) adds a member here, a case in `lib/audiences/audience.ts`, and its words in
 * the `audiences` messages.
 */
export const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all"), confirmName: z.string() }),
  z.object({ kind: z.literal("tag"), tagId: z.number().int().min(0), tagName: z.string().max(64), tagCount: z.number().int().min(0).optional() }),
  z.object({ kind: z.literal("list"), listId: z.string().min(1).max(64) }),
]);
export type AudienceInput = z.output<typeof audienceSchema>;

/** The name that follows the kind when an audience is shown ("tag · VIP"); none for everyone. */
export function audienceLabel(kind: AudienceKind | string, names: { tagName: string | null; listName: string | null }): string | null {
  return kind === "tag" ? names.tagName : kind === "list" ? names.listName : null;
}
