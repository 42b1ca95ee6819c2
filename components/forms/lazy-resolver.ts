import type { FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import type { Locale } from "@/lib/i18n/locales";

/**
 * Where a form's zod schema comes from: a dynamic import, declared once at module level, e.g.
 * `const loadSchema = () => import("@/lib/users/schemas").then((m) => m.profileSchema);`
 * zod (its core, ~30 KB gzip), the schema and the error map are then not part of the page's first
 * load: they are fetched at the person's first key or pointer press (preloadSchema) or, at the
 * latest, by the first validation, which waits for them. The checks and the messages are the same
 * as with the schema imported directly.
 */
export type SchemaLoader<S extends z.core.$ZodType = z.core.$ZodType> = () => Promise<S>;

const schemas = new Map<SchemaLoader, Promise<z.core.$ZodType>>();
let validation: Promise<typeof import("./zod-resolver")> | null = null;

function schemaOf<S extends z.core.$ZodType>(load: SchemaLoader<S>): Promise<S> {
  let p = schemas.get(load);
  if (!p) {
    p = load();
    schemas.set(load, p);
    p.catch(() => schemas.delete(load)); // a chunk that failed to arrive is asked for again
  }
  return p as Promise<S>;
}

function validationModule() {
  validation ??= import("./zod-resolver").catch((e: unknown) => {
    validation = null;
    throw e;
  });
  return validation;
}

/** Fetches the schema and what validates with it, ahead of the first validation. */
export function preloadSchema(load: SchemaLoader): void {
  schemaOf(load).catch(() => {});
  validationModule().catch(() => {});
}

/** zodResolver(schema, { error: zodErrorMap(locale) }), with the schema fetched on first use. */
export function lazyZodResolver<TIn extends FieldValues, TOut = TIn>(load: SchemaLoader, locale: Locale): Resolver<TIn, unknown, TOut> {
  return async (values, context, options) => {
    const [schema, m] = await Promise.all([schemaOf(load), validationModule()]);
    const resolve = m.zodResolver(schema as never, { error: m.zodErrorMap(locale) } as never) as unknown as Resolver<TIn, unknown, TOut>;
    return resolve(values, context, options);
  };
}
