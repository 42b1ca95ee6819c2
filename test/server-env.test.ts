import { describe, expect, it } from "vitest";
import { serverEnv } from "@/scripts/lib.mjs";

describe("serverEnv: how npm start, the e2e server and the benches start the console's process", () => {
  it("tunes the process for footprint on the embedded database", () => {
    const env = serverEnv({ PATH: "/usr/bin", NODE_OPTIONS: "--enable-source-maps" });
    expect(env).toMatchObject({ PATH: "/usr/bin", MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "65536", MALLOC_TRIM_THRESHOLD_: "131072" });
    expect(env.NODE_OPTIONS).toBe("--enable-source-maps --max-semi-space-size=4 --max-old-space-size=512");
  });
  it("keeps Node's and glibc's defaults on PostgreSQL, but for the arenas", () => {
    const env = serverEnv({ DATABASE_URL: "postgres://db/qunfa" });
    expect(env.MALLOC_ARENA_MAX).toBe("2");
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.MALLOC_MMAP_THRESHOLD_).toBeUndefined();
    expect(env.MALLOC_TRIM_THRESHOLD_).toBeUndefined();
  });
  it("leaves alone what the operator set, and does not change what it was given", () => {
    const given = { MALLOC_ARENA_MAX: "4", NODE_OPTIONS: "--max-semi-space-size=16 --max-old-space-size=2048", MALLOC_MMAP_THRESHOLD_: "1048576" };
    const env = serverEnv(given);
    expect(env).toMatchObject({
      MALLOC_ARENA_MAX: "4",
      NODE_OPTIONS: "--max-semi-space-size=16 --max-old-space-size=2048",
      MALLOC_MMAP_THRESHOLD_: "1048576",
      MALLOC_TRIM_THRESHOLD_: "131072",
    });
    expect(given).toEqual({ MALLOC_ARENA_MAX: "4", NODE_OPTIONS: "--max-semi-space-size=16 --max-old-space-size=2048", MALLOC_MMAP_THRESHOLD_: "1048576" });
  });
});
