import path from "node:path";

/**
 * Every environment variable the server reads is read here (the README's configuration table lists
 * them), as a getter so a test or a second start can change it. The launch scripts in scripts/ only
 * pass the environment on to the server they start.
 */
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
  /** Whether the embedded database fsyncs its commits (db/durable-pglite.ts); on unless "off". */
  get pgliteFsync() {
    return (process.env.QUNFA_PGLITE_FSYNC || "on").toLowerCase() !== "off";
  },
  /**
   * Whether an account's relay URL may point into a private network (the account's own server
   * beside the console). Off by default: an admin's typo or a stolen admin session must not make
   * the console post into its own network.
   */
  get relayPrivateAllowed() {
    return (process.env.QUNFA_RELAY_PRIVATE || "off").toLowerCase() === "on";
  },
  /** Connections in the PostgreSQL pool of one process. */
  get dbPoolMax() {
    return Number(process.env.QUNFA_DB_POOL_MAX || 10);
  },
  /** How long one WeChat API request may take before it counts as a dropped connection. */
  get wechatTimeoutMs() {
    return Number(process.env.QUNFA_WECHAT_TIMEOUT_MS || 15_000);
  },
  /** Campaigns one worker drains at once. */
  get drainConcurrency() {
    return Number(process.env.QUNFA_DRAIN_CONCURRENCY || 3);
  },
  /** Logs what the campaign workers do, for a person following a send. */
  get debugJobs() {
    return Boolean(process.env.QUNFA_DEBUG_JOBS);
  },
  get adoptIntervalMs() {
    return Number(process.env.QUNFA_ADOPT_INTERVAL_MS || 2_000);
  },
  /** The sending pipeline's lease on a batch, failures before a pause, and first retry wait. */
  get batchLeaseMs() {
    return Number(process.env.QUNFA_BATCH_LEASE_MS || 120_000);
  },
  get pauseAfterFailures() {
    return Number(process.env.QUNFA_PAUSE_AFTER_FAILURES || 3);
  },
  get backoffBaseMs() {
    return Number(process.env.QUNFA_BACKOFF_BASE_MS || 2_000);
  },
  get statusCheckAfterS() {
    return Number(process.env.QUNFA_STATUS_CHECK_AFTER_S || 600);
  },
  get callbackSweepMs() {
    return Number(process.env.QUNFA_CALLBACK_SWEEP_MS || 30_000);
  },
  /** Followers the sandbox seeds on a fresh start. */
  get sandboxFollowers() {
    return Number(process.env.SANDBOX_FOLLOWERS || 50_000);
  },
  /** How fast the sandbox's clock runs (2 = twice as fast); 1 when unset or not a number ≥ 0. */
  get sandboxTimeScale() {
    const v = Number(process.env.SANDBOX_TIME_SCALE || 1);
    return Number.isFinite(v) && v >= 0 ? v : 1;
  },
  /** The sandbox's two accounts' credentials, when set (defaults in lib/sandbox/defaults.ts). */
  get sandboxCredentialOverrides() {
    const e = process.env;
    return {
      service: { appid: e.SANDBOX_APP_ID, secret: e.SANDBOX_APP_SECRET, callbackToken: e.SANDBOX_TOKEN, aesKey: e.SANDBOX_AES_KEY },
      subscription: { appid: e.SANDBOX_SUB_APP_ID, secret: e.SANDBOX_SUB_APP_SECRET, callbackToken: e.SANDBOX_SUB_TOKEN, aesKey: e.SANDBOX_SUB_AES_KEY },
    };
  },
};
