import { describe, expect, it } from "vitest";
import { clientMsgId } from "./client-msg-id";

describe("clientmsgid", () => {
  it("is stable for a batch, distinct across batches and versions, and within 64 bytes", () => {
    expect(clientMsgId("c0123456789abcdef", 1, 7)).toBe(clientMsgId("c0123456789abcdef", 1, 7));
    expect(clientMsgId("c0123456789abcdef", 1, 7)).not.toBe(clientMsgId("c0123456789abcdef", 1, 8));
    expect(clientMsgId("c0123456789abcdef", 1, 7)).not.toBe(clientMsgId("c0123456789abcdef", 2, 7));
    expect(Buffer.byteLength(clientMsgId("c0123456789abcdef", 999_999, 999_999))).toBeLessThanOrEqual(64);
    expect(() => clientMsgId("c".repeat(60), 1, 1)).toThrow();
  });
});
