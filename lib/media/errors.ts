import type { MediaKind } from "./limits";

export type MediaRuleCode =
  "empty" | "wrongType" | "tooLarge" | "tooLong" | "cannotShrink" | "unreadable" | "notFound" | "notVideo" | "noMediaId" | "sameAccount";

/**
 * A file WeChat would refuse, caught before anything is sent. `params` fill the message that names
 * the limit (translated by the caller: `media.rule.<code>`).
 */
export class MediaRuleError extends Error {
  constructor(
    readonly code: MediaRuleCode,
    readonly kind: MediaKind | null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`media rule ${code}${kind ? ` (${kind})` : ""}: ${JSON.stringify(params)}`);
    this.name = "MediaRuleError";
  }
}
