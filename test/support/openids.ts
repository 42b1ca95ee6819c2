const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The i-th test OpenID: deterministic, distinct, realistic ("oQf" + 25 characters, 28 in all). */
export function openid(i: number): string {
  let s = "oQf";
  let x = i * 2654435761 + 12345;
  for (let k = 0; k < 25; k++) {
    s += ALPHA[(x >>> 0) % 64];
    x = Math.imul(x ^ (x >>> 13), 1274126177) + k;
  }
  return s;
}
