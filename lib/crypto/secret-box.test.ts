import { beforeEach, describe, expect, it } from "vitest";
import { openSecret, resetMasterKeyCacheForTests, sealSecret } from "./secret-box";

describe("secret box (AES-256-GCM at rest)", () => {
  beforeEach(() => {
    process.env.QUNFA_SECRET_KEY = "unit-test-key";
    resetMasterKeyCacheForTests();
  });

  it("round-trips and never stores the plaintext", () => {
    const sealed = sealSecret("0123456789abcdef0123456789abcdef", "account:a1:appSecret");
    expect(sealed).not.toContain("0123456789abcdef");
    expect(openSecret(sealed, "account:a1:appSecret")).toBe("0123456789abcdef0123456789abcdef");
    expect(sealSecret("same", "p")).not.toBe(sealSecret("same", "p"));
  });

  it("refuses a ciphertext moved to another field or account", () => {
    const sealed = sealSecret("secret", "account:a1:appSecret");
    expect(() => openSecret(sealed, "account:a2:appSecret")).toThrow();
    expect(() => openSecret(sealed, "account:a1:aesKey")).toThrow();
  });

  it("refuses a tampered ciphertext and a different master key", () => {
    const sealed = sealSecret("secret", "p");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[2], "base64url");
    body[0] ^= 1;
    parts[2] = body.toString("base64url");
    expect(() => openSecret(parts.join("."), "p")).toThrow();
    process.env.QUNFA_SECRET_KEY = "another-key";
    resetMasterKeyCacheForTests();
    expect(() => openSecret(sealed, "p")).toThrow();
  });
});
