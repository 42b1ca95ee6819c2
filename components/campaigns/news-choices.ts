import type { CampaignNewsChoice } from "@/lib/news/news-service";
import type { NewsPickerChoice } from "./news-picker";

/** The server's news choices as the client picker takes them (dates as ISO strings). */
export function toPickerChoices(choices: CampaignNewsChoice[]): NewsPickerChoice[] {
  return choices.map((c) => ({
    draftId: c.draftId,
    coverUrl: c.coverUrl,
    versions: c.versions.map((v) => ({
      version: v.version,
      current: v.current,
      titles: v.titles,
      articleCount: v.articleCount,
      mediaId: v.mediaId,
      expiresAt: v.expiresAt?.toISOString() ?? null,
      blockers: v.blockers,
    })),
  }));
}
