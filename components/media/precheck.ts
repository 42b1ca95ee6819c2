"use client";
import { planFor, RULES, sniffType, type MediaKind, type SniffedType } from "@/lib/media/limits";

export type Precheck =
  | { ok: true; type: SniffedType; convert: boolean; seconds: number | null }
  | { ok: false; code: "empty" | "wrongType" | "tooLarge" | "tooLong"; type: SniffedType | null; max?: number; seconds?: number };

/** Seconds of audio the browser can play (MP3); null where it cannot read it (AMR). */
function audioSeconds(file: File): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const a = new Audio();
    const done = (v: number | null) => {
      URL.revokeObjectURL(url);
      resolve(v);
    };
    a.preload = "metadata";
    a.onloadedmetadata = () => done(Number.isFinite(a.duration) ? a.duration : null);
    a.onerror = () => done(null);
    setTimeout(() => done(null), 4000);
    a.src = url;
  });
}

/**
 * The browser's check before a file is sent: its type by its first bytes (not its name), its size,
 * and a voice's length where the browser can read it. The server checks again and decides.
 */
export async function precheck(kind: MediaKind, file: File): Promise<Precheck> {
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const type = sniffType(head);
  const plan = planFor(kind, type, file.size);
  if (!plan.ok) return { ok: false, code: plan.code, type, max: plan.max };
  let seconds: number | null = null;
  if (kind === "voice" && type === "mp3") {
    seconds = await audioSeconds(file);
    if (seconds !== null && seconds > RULES.voice.maxSeconds!) return { ok: false, code: "tooLong", type, seconds: Math.round(seconds * 10) / 10 };
  }
  return { ok: true, type: type!, convert: plan.convert, seconds };
}
