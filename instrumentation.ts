export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
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
