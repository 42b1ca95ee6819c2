import { describe, expect, it } from "vitest";
import { safeNextPath, signInUrlFor } from "./safe-next";

// Each of these took the browser to another site after signing in (or could): tabs and newlines are
// dropped by the URL parser, backslashes read as slashes, and "//" starts a host.
const hostile = [
  "//evil.example/",
  "///evil.example/",
  "/\\evil.example/",
  "\\\\evil.example",
  "/\t/evil.example/",
  "/\n/evil.example/",
  "/\r\n/evil.example/",
  "/%09/evil.example/".replace("%09", "\t"),
  "/\\/evil.example",
  "/.//evil.example",
  "/x/..//evil.example",
  "http://evil.example/",
  "https:evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " /evil",
  "evil.example",
  "",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "/" + "a".repeat(3000),
];

describe("safeNextPath", () => {
  it.each(hostile)("refuses %j", (v) => {
    const r = safeNextPath(v);
    expect(r).toBe("/");
    // Whatever comes back, read by a browser against our origin, stays on it.
    expect(new URL(r, "https://console.example").origin).toBe("https://console.example");
  });

  it.each([null, undefined, 42, {}, ["/a"]])("refuses a non-string %j", (v) => {
    expect(safeNextPath(v)).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/a1/campaigns?state=draft", "/a1/campaigns?state=draft"],
    ["/admin/audit?from=2026-01-01&to=2026-01-31#top", "/admin/audit?from=2026-01-01&to=2026-01-31#top"],
    ["/a/../admin/users", "/admin/users"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/search?q=//evil.example", "/search?q=//evil.example"],
    ["/群发?x=1", "/%E7%BE%A4%E5%8F%91?x=1"],
  ])("keeps the same-site path %j", (v, want) => {
    expect(safeNextPath(v)).toBe(want);
  });

  it("uses the given fallback", () => {
    expect(safeNextPath("//evil.example", "/home")).toBe("/home");
  });
});

describe("signInUrlFor", () => {
  it("carries a same-site path and query, encoded", () => {
    expect(signInUrlFor("/a1/history?from=2026-01-01&x=%20")).toBe(`/sign-in?next=${encodeURIComponent("/a1/history?from=2026-01-01&x=%20")}`);
  });
  it("drops a hostile or empty one", () => {
    expect(signInUrlFor("//evil.example")).toBe("/sign-in");
    expect(signInUrlFor(undefined)).toBe("/sign-in");
    expect(signInUrlFor("/")).toBe("/sign-in");
  });
});
