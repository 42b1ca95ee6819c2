import { getDb } from "@/db/client";
import { withRouteUser } from "@/lib/auth/guard";
import { env } from "@/lib/config/env";
import { sandboxTagName, sandboxTagOpenIds } from "@/lib/sandbox";
import { tagFollowersQuery } from "@/lib/sandbox/schemas";

export const dynamic = "force-dynamic";

/**
 * A sample OpenID list from a sandbox tag: plain text, one OpenID a line, as the audience upload
 * takes it, to rehearse an OpenID-list campaign on the sandbox's followers.
 */
export const GET = withRouteUser("read", async (_user, req: Request) => {
  if (!env.sandboxEnabled) return new Response("not found", { status: 404 });
  const q = tagFollowersQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success)
    return Response.json(
      { error: "app and tag (a tag id) are required; limit is 2–10000", issues: q.error.issues.map((i) => i.path.join(".")) },
      { status: 400 },
    );
  const db = await getDb();
  if ((await sandboxTagName(db, q.data.app, q.data.tag)) === null) return Response.json({ error: "no such tag" }, { status: 404 });
  const ids = await sandboxTagOpenIds(db, q.data.app, q.data.tag, q.data.limit);
  return new Response(ids.join("\n") + "\n", {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="sandbox-${q.data.app}-tag-${q.data.tag}-openids.txt"`,
      "cache-control": "no-store",
    },
  });
});
