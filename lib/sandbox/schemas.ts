import { z } from "zod";

// The fault form's schema is in ./fault-schema (zod/mini: the browser validates with it).

/** The reseed button sends the word it asks the admin to confirm with. */
export const reseedSchema = z.object({ confirm: z.literal("reseed") });

// ---------------------------------------------------------------- request bodies of the simulated API
//
// WeChat answers every request with JSON and an errcode, whatever the body: an empty body is 44002
// "empty post data", a body that is not a JSON object 47001 "data format error", and a field of the
// wrong type 47001 too; a well-formed value that names nothing (an unknown msg_id or tag) has its own
// code (40059, 45159), decided where the value is looked up.

/** Largest value of a Postgres integer (tag ids) and the largest integer JavaScript holds exactly (msg_ids). */
const INT4_MAX = 2_147_483_647;

/** A positive integer id: a JSON number, or its digits as a string (some SDKs send ids as strings). */
const positiveId = (max: number) =>
  z.union([
    z.number().int().positive().max(max),
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number)
      .pipe(z.number().int().positive().max(max)),
  ]);

const msgIdField = positiveId(Number.MAX_SAFE_INTEGER);
const tagIdField = positiveId(INT4_MAX);

export const massGetBody = z.object({ msg_id: msgIdField });
export const tagUsersBody = z.object({ tagid: tagIdField, next_openid: z.string().max(64).optional() });
export const massDeleteBody = z.object({
  msg_id: msgIdField.optional(),
  url: z.string().max(2048).optional(),
  article_idx: z.union([z.number().int().min(0).max(8), z.string().regex(/^\d$/).transform(Number)]).optional(),
});
export const speedSetBody = z.object({
  speed: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d{1,3}$/)
        .transform(Number),
    ])
    .optional()
    .nullable(),
});

export type BodyCheck = { ok: true; body: Record<string, unknown> } | { ok: false; errcode: number; errmsg: string };

/** A request body as WeChat reads it: a JSON object, or the errcode WeChat answers instead. */
export function parseWechatBody(text: string): BodyCheck {
  if (!text.trim()) return { ok: false, errcode: 44002, errmsg: "empty post data" };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, errcode: 47001, errmsg: "data format error" };
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return { ok: false, errcode: 47001, errmsg: "data format error" };
  return { ok: true, body: v as Record<string, unknown> };
}

/** A body's fields checked by `schema`; a missing or mistyped field is WeChat's 47001. */
export function checkFields<S extends z.ZodType>(
  schema: S,
  body: Record<string, unknown>,
): { ok: true; value: z.output<S> } | { ok: false; errcode: number; errmsg: string } {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const field = r.error.issues[0]?.path.join(".") || "body";
  return { ok: false, errcode: 47001, errmsg: `data format error hint: [${field}]` };
}

/** The /sandbox page's follower list and its sample-list download: account, tag, cursor, size. */
export const tagFollowersQuery = z.object({
  app: z.string().min(1).max(64),
  tag: z.coerce.number().int().positive().max(INT4_MAX),
  after: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,64}$/)
    .optional()
    .default(""),
  limit: z.coerce.number().int().min(2).max(10_000).optional().default(10_000),
});
