import { z } from "zod";

// Shared by the /sandbox fault form (react-hook-form + zodResolver) and its server action: a plain
// module, because a "use server" file may export only async functions.
const rate = z.coerce.number().min(0).max(1);

export const faultSchema = z.object({
  appid: z.string().min(1).max(64),
  errorRate: rate,
  http5xxRate: rate,
  dropBeforeRate: rate,
  dropAfterRate: rate,
  callbackFailRate: rate,
  latencyMs: z.coerce.number().int().min(0).max(10_000),
  perMinute: z.coerce.number().int().min(1).max(100_000),
});

export type FaultInput = z.input<typeof faultSchema>;

/** The reseed button sends the word it asks the admin to confirm with. */
export const reseedSchema = z.object({ confirm: z.literal("reseed") });
