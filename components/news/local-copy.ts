"use client";
import type { ArticleValues } from "@/lib/news/schemas";

/**
 * A copy of the draft in this browser, written on every change: if the tab crashes or the network
 * is gone, the next visit finds it and restores it when it is newer than the server's.
 */
export interface LocalCopy {
  baseVersion: number;
  at: number;
  articles: ArticleValues[];
}

const key = (draftId: string) => `qunfa:news:${draftId}`;

export function readLocal(draftId: string): LocalCopy | null {
  try {
    const raw = window.localStorage.getItem(key(draftId));
    if (!raw) return null;
    const v = JSON.parse(raw) as LocalCopy;
    return Array.isArray(v.articles) && typeof v.baseVersion === "number" && typeof v.at === "number" ? v : null;
  } catch {
    return null;
  }
}

export function writeLocal(draftId: string, v: LocalCopy): void {
  try {
    window.localStorage.setItem(key(draftId), JSON.stringify(v));
  } catch {
    // Storage full or disabled: the server copy and autosave still hold the work.
  }
}

export function clearLocal(draftId: string): void {
  try {
    window.localStorage.removeItem(key(draftId));
  } catch {
    /* nothing to clear */
  }
}

const FIELDS = ["key", "title", "author", "digest", "coverId", "showCoverPic", "content", "contentSourceUrl", "needOpenComment", "onlyFansCanComment"] as const;

/** Articles as a string that does not depend on key order (jsonb reorders keys). */
export function canon(articles: readonly Partial<ArticleValues>[] | undefined): string {
  return JSON.stringify((articles ?? []).map((a) => FIELDS.map((k) => a?.[k] ?? null)));
}
