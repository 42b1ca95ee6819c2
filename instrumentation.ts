export async function register() {
  // `next build` runs this too, in its page-data workers: booting there would migrate and seed the
  // data folder and take its lock, which a killed worker can leave behind for `next start` to trip on.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installRequestStamps } = await import("./lib/auth/client-address");
    installRequestStamps();
    const { boot } = await import("./lib/boot");
    try {
      await boot();
    } catch (e) {
      // A second process on the same PGlite folder must stop at once with the lock's message.
      console.error(`[qunfa] cannot start: ${(e as Error).message}`);
      process.exit(1);
    }
  }
}
