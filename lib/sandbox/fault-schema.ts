import * as z from "zod/mini";

// Shared by the /sandbox fault form (react-hook-form + zodResolver) and its server action: a plain
// module, because a "use server" file may export only async functions. zod/mini (the same checks, as
// functions), and apart from the simulated API's schemas, which need zod classic: the form validates
// in the browser, where zod classic would add ~39 KB gzip (bench/README.md, "Pages' script").
const rate = z.coerce.number().check(z.minimum(0), z.maximum(1));

export const faultSchema = z.object({
  appid: z.string().check(z.minLength(1), z.maxLength(64)),
  errorRate: rate,
  http5xxRate: rate,
  dropBeforeRate: rate,
  dropAfterRate: rate,
  callbackFailRate: rate,
  latencyMs: z.coerce.number().check(z.int(), z.minimum(0), z.maximum(10_000)),
  perMinute: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100_000)),
});

export type FaultInput = z.input<typeof faultSchema>;
