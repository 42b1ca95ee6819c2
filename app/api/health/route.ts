export const dynamic = "force-dynamic";

// Liveness for a load balancer or a process supervisor: the server answers. Public on purpose (a
// probe carries no session) and it says nothing but "ok": no version, no database state. It touches
// no database, so it is also the floor of what any route costs under `next start`, which
// bench/callback.ts measures beside the callback route.
export function GET() {
  return new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}
