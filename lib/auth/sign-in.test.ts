import { afterAll, beforeAll, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import { createTranslator } from "use-intl/core";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import zh from "@/messages/zh-CN/auth.json";
import en from "@/messages/en/auth.json";
import { attemptSignIn } from "./sign-in";
import { makeSignInLimiters, SIGN_IN_LIMITS, type SignInLimiters } from "./throttle";
import { knownDevice } from "./device";

process.env.QUNFA_SECRET_KEY ??= "sign-in-test-key";

// The password check is better-auth's own scrypt, as slow as in production: the window in which
// parallel guesses used to slip past a read-then-count throttle.
describeEachDriver("sign-in throttle", (driver) => {
  let tdb: TestDb;
  let limiters: SignInLimiters;
  let hash: string;
  let checked = 0;
  const RIGHT = "the-right-password-1";
  const check = (password: string) => async () => {
    checked++;
    return verifyPassword({ hash, password });
  };

  beforeAll(async () => {
    tdb = await createTestDb(driver);
    limiters = makeSignInLimiters(tdb.handle);
    hash = await hashPassword(RIGHT);
  });
  afterAll(async () => {
    await tdb?.dispose();
  });

  it("200 parallel guesses from one client: at most the limit's worth of passwords are checked, the right one at 150 does not get in", async () => {
    checked = 0;
    const email = `victim-${driver}@qunfa.test`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const password = i === 150 ? RIGHT : `wrong-${i}`;
        return attemptSignIn(limiters, { email, password, client: "203.0.113.7" }, check(password));
      }),
    );
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.email.points);
    expect(results[150]).toMatchObject({ ok: false, reason: "throttled" });
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    const waits = results.flatMap((r) => (!r.ok && r.reason === "throttled" ? [r.retryAfterSeconds] : []));
    expect(waits.length).toBeGreaterThanOrEqual(200 - SIGN_IN_LIMITS.email.points);
    for (const w of waits) {
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(SIGN_IN_LIMITS.email.duration);
    }
  });

  it("200 parallel guesses from 200 addresses: the email's own count still stops them", async () => {
    checked = 0;
    const email = `victim2-${driver}@qunfa.test`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const password = i === 150 ? RIGHT : `wrong-${i}`;
        return attemptSignIn(limiters, { email, password, client: `198.51.100.${i}` }, check(password));
      }),
    );
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.email.points);
    expect(results[150].ok).toBe(false);
  });

  it("one address spraying many emails is stopped by its own count", async () => {
    checked = 0;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        attemptSignIn(limiters, { email: `spray${i}-${driver}@qunfa.test`, password: "wrong", client: "192.0.2.50" }, check("wrong")),
      ),
    );
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.client.points);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBeGreaterThanOrEqual(100 - SIGN_IN_LIMITS.client.points);
  });

  it("the person from a browser that signed in before still gets in while an attacker hammers the email", async () => {
    const email = `admin-${driver}@qunfa.test`;
    const first = await attemptSignIn(limiters, { email, password: RIGHT, client: "10.0.0.5" }, check(RIGHT));
    expect(first.ok).toBe(true);
    const cookie = first.ok ? first.deviceCookie : "";
    expect(knownDevice(cookie, email)).not.toBeNull();
    // The cookie is bound to its email: it is no pass for another account.
    expect(knownDevice(cookie, `other-${email}`)).toBeNull();
    expect(knownDevice(`${cookie}x`, email)).toBeNull();

    checked = 0;
    const attack = Array.from({ length: 200 }, (_, i) => attemptSignIn(limiters, { email, password: `wrong-${i}`, client: "10.0.0.5" }, check(`wrong-${i}`)));
    const legit = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      return attemptSignIn(limiters, { email, password: RIGHT, client: "10.0.0.5", deviceCookie: cookie }, check(RIGHT));
    })();
    const [attacked, mine] = await Promise.all([Promise.all(attack), legit]);
    expect(mine.ok).toBe(true);
    expect(attacked.filter((r) => r.ok)).toHaveLength(0);
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.email.points + 1);
    // A stranger (no cookie) with the right password is still held off: the email is blocked for them.
    const stranger = await attemptSignIn(limiters, { email, password: RIGHT, client: "10.0.0.6" }, check(RIGHT));
    expect(stranger).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("a known device has its own allowance, and it runs out too", async () => {
    const email = `dev-${driver}@qunfa.test`;
    const first = await attemptSignIn(limiters, { email, password: RIGHT, client: "10.1.0.1" }, check(RIGHT));
    const cookie = first.ok ? first.deviceCookie : "";
    checked = 0;
    const guesses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => attemptSignIn(limiters, { email, password: `w${i}`, client: "10.1.0.1", deviceCookie: cookie }, check(`w${i}`))),
    );
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.device.points);
    expect(guesses.some((r) => !r.ok && r.reason === "throttled")).toBe(true);
  });
});

it("the throttled message says how long to wait, in both languages", () => {
  const tz = createTranslator({ locale: "zh-CN", messages: zh, namespace: "auth" });
  const te = createTranslator({ locale: "en", messages: en, namespace: "auth" });
  expect(tz("throttled", { minutes: 15 })).toBe("登录失败次数过多，请 15 分钟后再试。");
  expect(te("throttled", { minutes: 15 })).toBe("Too many failed sign-ins. Try again in 15 minutes.");
  expect(te("throttled", { minutes: 1 })).toBe("Too many failed sign-ins. Try again in 1 minute.");
});
