import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./same-origin";

const req = (method: string, headers: Record<string, string>) => new Request("http://console.example/a1/media/upload", { method, headers });

describe("route handlers refuse cross-site writes", () => {
  it("refuses a POST whose Origin is another site, or an opaque origin", () => {
    expect(isCrossSiteWrite(req("POST", { origin: "https://evil.example", host: "console.example" }))).toBe(true);
    expect(isCrossSiteWrite(req("POST", { origin: "null", host: "console.example" }))).toBe(true);
    expect(isCrossSiteWrite(req("DELETE", { origin: "http://console.example:8080", host: "console.example" }))).toBe(true);
  });
  it("lets same-origin writes, reads and Origin-less clients through to the session check", () => {
    expect(isCrossSiteWrite(req("POST", { origin: "http://console.example", host: "console.example" }))).toBe(false);
    expect(isCrossSiteWrite(req("POST", { origin: "https://qunfa.example", host: "127.0.0.1:3000", "x-forwarded-host": "qunfa.example" }))).toBe(false);
    expect(isCrossSiteWrite(req("GET", { origin: "https://evil.example", host: "console.example" }))).toBe(false);
    expect(isCrossSiteWrite(req("POST", { host: "console.example" }))).toBe(false);
  });
});
