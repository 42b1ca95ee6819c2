/**
 * Files for tests, made at run time (no binaries in the repository): noisy images that do not
 * compress, AMR and MP3 of a given length, MP4 of a given size.
 */
import sharp from "sharp";

/** Random pixels: PNG barely compresses them, so size follows width × height. */
export async function noisyImage(width: number, height: number, format: "png" | "jpeg" | "webp" | "gif" = "png", alpha = false): Promise<Buffer> {
  const channels = alpha ? 4 : 3;
  const raw = Buffer.alloc(width * height * channels);
  let x = 12345;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    // Smooth-ish noise: a gradient plus noise, so a photo-like JPEG can shrink with quality.
    raw[i] = ((i / channels) % width) / 4 + ((x >> 16) & 0x7f);
  }
  const img = sharp(raw, { raw: { width, height, channels } });
  if (format === "png") return img.png({ compressionLevel: 6 }).toBuffer();
  if (format === "jpeg") return img.jpeg({ quality: 95 }).toBuffer();
  if (format === "webp") return img.webp({ quality: 90 }).toBuffer();
  return img.gif().toBuffer();
}

/** AMR-NB 12.2 kbit/s: 32-byte frames of 20 ms. */
export function amrBytes(seconds: number): Buffer {
  const frames = Math.round(seconds * 50);
  const b = Buffer.alloc(6 + frames * 32);
  b.write("#!AMR\n", 0, "latin1");
  for (let i = 0; i < frames; i++) b[6 + i * 32] = 0x3c;
  return b;
}

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417-byte frames of 1152 samples. */
export function mp3Bytes(seconds: number): Buffer {
  const frames = Math.ceil((seconds * 44100) / 1152);
  const b = Buffer.alloc(frames * 417);
  for (let i = 0; i < frames; i++) {
    b[i * 417] = 0xff;
    b[i * 417 + 1] = 0xfb;
    b[i * 417 + 2] = 0x90;
    b[i * 417 + 3] = 0x64;
  }
  return b;
}

/** An ISO-BMFF file with an `isom` ftyp box and an mdat of `size` bytes in all. */
export function mp4Bytes(size: number): Buffer {
  const b = Buffer.alloc(Math.max(size, 64));
  b.writeUInt32BE(24, 0);
  b.write("ftypisom", 4, "latin1");
  b.writeUInt32BE(0x200, 12);
  b.write("isomiso2", 16, "latin1");
  b.writeUInt32BE(b.length - 24, 24);
  b.write("mdat", 28, "latin1");
  return b;
}
