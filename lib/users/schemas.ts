import * as z from "zod/mini";
import { ROLES } from "@/lib/auth/permissions";

// zod/mini (the same checks, as functions): the sign-in, setup, invite and profile forms validate in
// the browser too, where zod classic would add ~39 KB gzip (bench/README.md, "Pages' script").
const emailSchema = z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email());
export const passwordSchema = z.string().check(z.minLength(10), z.maxLength(128));

export const setupSchema = z
  .object({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)), email: emailSchema, password: passwordSchema, confirm: z.string() })
  .check(z.refine((v) => v.password === v.confirm, { path: ["confirm"], message: "passwordMismatch" }));

export const signInSchema = z.object({ email: emailSchema, password: z.string().check(z.minLength(1), z.maxLength(128)) });

export const inviteSchema = z.object({ email: emailSchema, role: z.enum(ROLES) });

export const acceptInviteSchema = z
  .object({
    token: z.string().check(z.minLength(20), z.maxLength(200)),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    password: passwordSchema,
    confirm: z.string(),
  })
  .check(z.refine((v) => v.password === v.confirm, { path: ["confirm"], message: "passwordMismatch" }));

const userId = () => z.string().check(z.minLength(1), z.maxLength(100));
export const setRoleSchema = z.object({ userId: userId(), role: z.enum(ROLES) });
export const banSchema = z.object({ userId: userId(), banned: z.boolean() });
/** An admin confirms (or revokes) the preview targets as the page showed them. */
export const previewConfirmSchema = z.object({
  userId: userId(),
  wechatId: z.nullable(z.string().check(z.maxLength(64))),
  previewOpenid: z.nullable(z.string().check(z.maxLength(64))),
  confirm: z.boolean(),
});

// A WeChat ID (微信号): 6–20 letters, digits, _ or -, starting with a letter.
const WECHAT_ID_RE = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
const OPENID_RE = /^[A-Za-z0-9_-]{28}$/;
export const profileSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  wechatId: z.string().check(
    z.trim(),
    z.refine((v) => v === "" || WECHAT_ID_RE.test(v), { message: "wechatId" }),
  ),
  previewOpenid: z.string().check(
    z.trim(),
    z.refine((v) => v === "" || OPENID_RE.test(v), { message: "openid" }),
  ),
});
