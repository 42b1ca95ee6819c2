import path from "node:path";

/** Every environment variable qunfa reads is read here (the README's configuration table lists them). */
export const env = {
  get dataDir() {
    return path.resolve(/*turbopackIgnore: true*/ process.env.QUNFA_DATA_DIR || "./data");
  },
  /** shared_buffers of the embedded database (PGlite keeps them inside the process's memory). */
  get pgliteSharedBuffers() {
    const v = process.env.QUNFA_PGLITE_SHARED_BUFFERS || "8MB";
    if (!/^\d+(kB|MB|GB)$/.test(v)) throw new Error(`QUNFA_PGLITE_SHARED_BUFFERS must look like 16MB (a number and kB, MB or GB), not "${v}"`);
    return v;
  },
  get databaseUrl() {
    return process.env.DATABASE_URL || undefined;
  },
  get secretKey() {
    return process.env.QUNFA_SECRET_KEY || undefined;
  },
  get adminEmail() {
    return process.env.QUNFA_ADMIN_EMAIL || undefined;
  },
  get adminPassword() {
    return process.env.QUNFA_ADMIN_PASSWORD || undefined;
  },
  get publicUrl() {
    const port = process.env.PORT || "3000";
    return (process.env.QUNFA_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, "");
  },
  /** The console's own address as seen from this machine: the sandbox calls the callback here. */
  get internalUrl() {
    const port = process.env.PORT || "3000";
    return (process.env.QUNFA_INTERNAL_URL || `http://127.0.0.1:${port}`).replace(/\/$/, "");
  },
  get sandboxEnabled() {
    return (process.env.QUNFA_SANDBOX || "on").toLowerCase() !== "off";
  },
  /**
   * How many reverse proxies stand in front of the console and append the client's address to
   * X-Forwarded-For. 0 (default): the header is the client's to write and is never believed.
   */
  get trustedProxyHops() {
    const v = process.env.QUNFA_TRUSTED_PROXY_HOPS || "0";
    if (!/^\d{1,2}$/.test(v)) throw new Error(`QUNFA_TRUSTED_PROXY_HOPS must be a whole number (the proxies in front of the console), not "${v}"`);
    return Number(v);
  },
  get workersEnabled() {
    return (process.env.QUNFA_WORKERS || "on").toLowerCase() !== "off";
  },
  /**
   * Whether an account's relay URL may point into a private network (the account's own server
   * beside the console). Off by default: an admin's typo or a stolen admin session must not make
   * the console post into its own network.
   */
  /** Whether the embedded database fsyncs its commits (db/durable-pglite.ts); on unless "off". */
  get pgliteFsync() {
    return (process.env.QUNFA_PGLITE_FSYNC || "on").toLowerCase() !== "off";
  },
  get relayPrivateAllowed() {
    return (process.env.QUNFA_RELAY_PRIVATE || "off").toLowerCase() === "on";
  },
};
