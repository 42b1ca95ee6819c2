import "server-only";

// AMR frame sizes by frame type, without the 1-byte header (3GPP TS 26.101 / 26.201).
const AMR_NB = [12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, 0, 0, 0, 0];
const AMR_WB = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];

/** AMR storage format: "#!AMR\n" or "#!AMR-WB\n", then 20 ms frames. music-metadata has no AMR parser. */
export function amrDurationMs(b: Uint8Array): number | null {
  const head = String.fromCharCode(...b.subarray(0, 9));
  const wb = head.startsWith("#!AMR-WB\n");
  if (!wb && !head.startsWith("#!AMR\n")) return null;
  const sizes = wb ? AMR_WB : AMR_NB;
  let i = wb ? 9 : 6;
  let frames = 0;
  while (i < b.length) {
    const ft = (b[i] >> 3) & 0x0f;
    i += 1 + sizes[ft];
    frames++;
  }
  return frames * 20;
}

/** Length of an MP3 or AMR in milliseconds, or null when it cannot be read ("where readable"). */
export async function voiceDurationMs(bytes: Uint8Array, type: "mp3" | "amr"): Promise<number | null> {
  if (type === "amr") return amrDurationMs(bytes);
  try {
    const mm = await import("music-metadata");
    const meta = await mm.parseBuffer(bytes, { mimeType: "audio/mpeg", size: bytes.length }, { duration: true, skipCovers: true });
    const d = meta.format.duration;
    return typeof d === "number" && Number.isFinite(d) ? Math.round(d * 1000) : null;
  } catch {
    return null;
  }
}
