import { describe, expect, it } from "vitest";
import { can, ROLES } from "./permissions";

describe("roles", () => {
  it.each([
    ["viewer", { read: true, edit: false, preview: false, publish: false, admin: false }],
    ["editor", { read: true, edit: true, preview: true, publish: false, admin: false }],
    ["publisher", { read: true, edit: true, preview: true, publish: true, admin: false }],
    ["admin", { read: true, edit: true, preview: true, publish: true, admin: true }],
  ] as const)("%s may do exactly its share", (role, expected) => {
    for (const [perm, allowed] of Object.entries(expected)) expect(can(role, perm as keyof typeof expected), `${role} ${perm}`).toBe(allowed);
  });

  it("unknown roles, empty and missing roles may do nothing", () => {
    for (const role of ["", "user", "ADMIN", null, undefined, "admin "]) expect(can(role as string, "read")).toBe(false);
    expect(ROLES).toEqual(["viewer", "editor", "publisher", "admin"]);
  });
});
