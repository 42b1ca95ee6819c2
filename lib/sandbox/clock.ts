/**
 * The sandbox's clock. Every rule with a duration (token lifetimes, media lifetimes, clientmsgid's
 * 24 hours and retry minute, job durations, push retries, calendar days and months) reads this
 * instead of Date.now(), so tests can move time forward instead of waiting or editing rows.
 * The offset is process-wide and only tests set it.
 */
let offsetMs = 0;

export function sbNow(): number {
  return Date.now() + offsetMs;
}
export function sbDate(): Date {
  return new Date(sbNow());
}
/** Moves the sandbox's clock (tests): `advanceSandboxClock(3 * 24 * 3600_000)` is three days later. */
export function advanceSandboxClock(ms: number) {
  offsetMs += ms;
}
export function resetSandboxClock() {
  offsetMs = 0;
}
