/**
 * Who may do what. Checked on the server by every page, action and route (lib/auth/guard.ts);
 * the UI only mirrors it. Roles are cumulative: each includes the one below it.
 */
export const ROLES = ["viewer", "editor", "publisher", "admin"] as const;
export type Role = (typeof ROLES)[number];

const PERMISSIONS = {
  /** see campaigns, media, history, dashboards */
  read: "viewer",
  /** media library, news drafts, uploads to WeChat */
  edit: "editor",
  /** preview on one's own WeChat */
  preview: "editor",
  /** send, schedule, cancel, approve, delete sent messages, refresh status */
  publish: "publisher",
  /** Official Accounts, users, settings, audit log, mass-send speed */
  admin: "admin",
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: string | null | undefined, permission: Permission): boolean {
  if (!isRole(role)) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(PERMISSIONS[permission]);
}
