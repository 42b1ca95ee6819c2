import { bigint, integer, pgTable, varchar } from "drizzle-orm/pg-core";

/**
 * rate-limiter-flexible's PostgreSQL store (sign-in throttling, the mass-API pace), created by our
 * migrations rather than by the library at run time, where instances starting together would race.
 */
export const rateLimits = pgTable("qunfa_rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});
