import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/config/env";

const VERSION = "v1";
let cachedMaster: Buffer | undefined;

/**
 * The master key: QUNFA_SECRET_KEY, or a key generated once into the data folder.
 * Several instances sharing one PostgreSQL must share the same QUNFA_SECRET_KEY.
 */
export function masterKey(): Buffer {
  if (cachedMaster) return cachedMaster;
  const configured = env.secretKey;
  if (configured) {
    cachedMaster = createHash("sha256").update(configured, "utf8").digest();
    return cachedMaster;
  }
  const file = path.join(env.dataDir, "secret.key");
  if (fs.existsSync(file)) {
    cachedMaster = createHash("sha256").update(fs.readFileSync(file, "utf8").trim(), "utf8").digest();
    return cachedMaster;
  }
  fs.mkdirSync(env.dataDir, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, generated + "\n", { mode: 0o600, flag: "wx" });
    console.warn(
      `[qunfa] QUNFA_SECRET_KEY is not set: generated one into ${file}. Back it up: without it the ` +
        `stored appsecrets and EncodingAESKeys cannot be decrypted.`,
    );
  } catch {
    // Another process wrote it first: use theirs.
  }
  cachedMaster = createHash("sha256").update(fs.readFileSync(file, "utf8").trim(), "utf8").digest();
  return cachedMaster;
}

function subKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey(), Buffer.alloc(0), `qunfa:${purpose}`, 32));
}

/** A derived secret for other parts (better-auth's cookie signing), never the master key itself. */
export function derivedSecret(purpose: string): string {
  return subKey(purpose).toString("base64url");
}

/** AES-256-GCM; the purpose is bound as associated data so a ciphertext cannot be moved between fields. */
export function sealSecret(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", subKey("secret-box"), iv);
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".");
}

export function openSecret(sealed: string, purpose: string): string {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error("secret-box: malformed ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", subKey("secret-box"), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(purpose, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

export function resetMasterKeyCacheForTests() {
  cachedMaster = undefined;
}
