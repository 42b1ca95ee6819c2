import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = z.string().min(10).max(128);

export const setupSchema = z
  .object({ name: z.string().trim().min(1).max(64), email: emailSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "passwordMismatch" });

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(128) });

export const inviteSchema = z.object({ email: emailSchema, role: z.enum(ROLES) });

export const acceptInviteSchema = z
  .object({ token: z.string().min(20).max(200), name: z.string().trim().min(1).max(64), password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "passwordMismatch" });

export const setRoleSchema = z.object({ userId: z.string().min(1).max(100), role: z.enum(ROLES) });
export const banSchema = z.object({ userId: z.string().min(1).max(100), banned: z.boolean() });
/** An admin confirms (or revokes) the preview targets as the page showed them. */
export const previewConfirmSchema = z.object({
  userId: z.string().min(1).max(100),
  wechatId: z.string().max(64).nullable(),
  previewOpenid: z.string().max(64).nullable(),
  confirm: z.boolean(),
});

// A WeChat ID (微信号): 6–20 letters, digits, _ or -, starting with a letter.
const WECHAT_ID_RE = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
const OPENID_RE = /^[A-Za-z0-9_-]{28}$/;
export const profileSchema = z.object({
  name: z.string().trim().min(1).max(64),
  wechatId: z
    .string()
    .trim()
    .refine((v) => v === "" || WECHAT_ID_RE.test(v), { message: "wechatId" }),
  previewOpenid: z
    .string()
    .trim()
    .refine((v) => v === "" || OPENID_RE.test(v), { message: "openid" }),
});
