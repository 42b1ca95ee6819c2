import * as z from "zod/mini";
import { isTimeZone } from "@/lib/i18n/time";
import { ACCOUNT_TYPES, MESSAGE_MODES } from "@/db/schema/accounts";

// WeChat's own rules for the values an admin copies from the platform's 开发 → 基本配置 page.
const APPID_RE = /^wx[0-9A-Za-z]{16}$/;
const APPSECRET_RE = /^[0-9A-Za-z]{32}$/;
const CALLBACK_TOKEN_RE = /^[0-9A-Za-z]{3,32}$/;
const AES_KEY_RE = /^[0-9A-Za-z]{43}$/;

// zod/mini (the same checks, as functions): the account form validates in the browser too, where zod
// classic would add ~39 KB gzip (bench/README.md, "Pages' script").
const optionalUrl = z.string().check(
  z.trim(),
  z.maxLength(500),
  z.refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), { params: { key: "url" }, message: "url" }),
);

/**
 * One schema for the browser form and the server action. On edit, secrets may be left blank to keep
 * the stored value (the form never receives it); on create they are required.
 */
export function accountFormSchema(mode: "create" | "edit") {
  const secret = (re: RegExp, msgKey: string) =>
    mode === "create"
      ? z.string().check(z.trim(), z.regex(re, { message: msgKey }))
      : z.string().check(
          z.trim(),
          z.refine((v) => v === "" || re.test(v), { message: msgKey }),
        );
  return z
    .object({
      name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
      appid: z.string().check(z.trim(), z.regex(APPID_RE, { message: "appid" })),
      appSecret: secret(APPSECRET_RE, "appSecret"),
      type: z.enum(ACCOUNT_TYPES),
      verified: z.boolean(),
      callbackToken: secret(CALLBACK_TOKEN_RE, "callbackToken"),
      encodingAesKey: z.string().check(
        z.trim(),
        z.refine((v) => v === "" || AES_KEY_RE.test(v), { message: "encodingAesKey" }),
      ),
      messageMode: z.enum(MESSAGE_MODES),
      relayUrl: optionalUrl,
      apiBaseUrl: z.string().check(
        z.trim(),
        z.maxLength(500),
        z.refine((v) => /^https?:\/\/[^\s]+$/i.test(v), { message: "url" }),
      ),
      timezone: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
      requiresApproval: z.boolean(),
    })
    .check(
      z.superRefine((v, ctx) => {
        // Compatible and safe mode encrypt pushes: they cannot work without the key.
        if (v.messageMode !== "plaintext" && v.encodingAesKey === "" && mode === "create") {
          ctx.addIssue({ code: "custom", path: ["encodingAesKey"], message: "encodingAesKeyRequired" });
        }
        if (!isTimeZone(v.timezone)) ctx.addIssue({ code: "custom", path: ["timezone"], message: "timezone" });
      }),
    );
}

export type AccountFormInput = z.input<ReturnType<typeof accountFormSchema>>;
export type AccountFormValues = z.output<ReturnType<typeof accountFormSchema>>;
