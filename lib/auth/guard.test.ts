import { expect, it } from "vitest";
import { pagePermissionFor, requestedPath } from "./guard";
import { REQUESTED_URL_HEADER } from "./client-address";

it.each([
  ["/a0123456789abcdef/campaigns/new", "edit"],
  ["/a0123456789abcdef/campaigns/new?type=news", "edit"],
  ["/a0123456789abcdef/campaigns/new/", "edit"],
  ["/a0123456789abcdef/campaigns", "read"],
  ["/a0123456789abcdef/campaigns/c1", "read"],
  ["/a0123456789abcdef", "read"],
  [null, "read"],
] as const)("the page %j needs %s", (path, want) => {
  expect(pagePermissionFor(path)).toBe(want);
});

it.each([
  ["/a1/history?from=2026-01-01&_rsc=abc", "/a1/history?from=2026-01-01"],
  ["/admin/audit", "/admin/audit"],
  [null, null],
  ["http://evil.example/", null],
] as const)("the requested path of %j is %j (without Next's _rsc marker)", (raw, want) => {
  const h = new Headers();
  if (raw) h.set(REQUESTED_URL_HEADER, raw);
  expect(requestedPath(h)).toBe(want);
});
