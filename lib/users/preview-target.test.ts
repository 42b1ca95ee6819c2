import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, user } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { PreviewConfirmError, previewTargetFor, setPreviewConfirmation } from "./preview-target";
import { updateProfile } from "./user-service";

const admin = { id: "u-admin", email: "admin@x.test" };
const admin2 = { id: "u-admin2", email: "admin2@x.test" };
const editor = { id: "u-ed", email: "ed@x.test" };

describeEachDriver("previews go only to a WeChat ID an admin confirmed", (driver) => {
  let t: TestDb;
  const db = () => t.handle.db;
  beforeAll(async () => {
    t = await createTestDb(driver);
    await db()
      .insert(user)
      .values([
        { id: admin.id, name: "Admin", email: admin.email, role: "admin", wechatId: "qunfa_boss" },
        { id: editor.id, name: "Ed", email: editor.email, role: "editor" },
      ]);
  });
  afterAll(async () => {
    await t?.dispose();
  });
  const seenOf = async (id: string) => {
    const [u] = await db().select().from(user).where(eq(user.id, id));
    return { wechatId: u.wechatId, previewOpenid: u.previewOpenid };
  };
  const code = (e: unknown) => (e as PreviewConfirmError).code;

  it("an editor who types someone else's WeChat ID (or OpenID) in their profile cannot preview to it until an admin confirms it", async () => {
    expect(await previewTargetFor(db(), editor.id)).toEqual({ ok: false, reason: "none" });
    await updateProfile(db(), editor, { name: "Ed", wechatId: "qunfa_demo_1", previewOpenid: "" });
    expect(await previewTargetFor(db(), editor.id)).toEqual({ ok: false, reason: "unconfirmed", value: "qunfa_demo_1" });
    await updateProfile(db(), editor, { name: "Ed", wechatId: "", previewOpenid: "o".repeat(28) });
    expect(await previewTargetFor(db(), editor.id)).toEqual({ ok: false, reason: "unconfirmed", value: "o".repeat(28) });

    await updateProfile(db(), editor, { name: "Ed", wechatId: "qunfa_editor", previewOpenid: "" });
    await setPreviewConfirmation(db(), admin, editor.id, await seenOf(editor.id), true);
    expect(await previewTargetFor(db(), editor.id)).toEqual({ ok: true, to: "qunfa_editor", towxname: "qunfa_editor", touser: null });
    const [a] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, editor.id), eq(auditLog.action, "user.confirm-preview-target")));
    expect(a).toMatchObject({ actorId: admin.id, summary: { wechatId: "qunfa_editor" } });

    // A changed ID needs confirming again; going back to the confirmed one is the confirmed one.
    await updateProfile(db(), editor, { name: "Ed", wechatId: "qunfa_demo_2", previewOpenid: "" });
    expect(await previewTargetFor(db(), editor.id)).toEqual({ ok: false, reason: "unconfirmed", value: "qunfa_demo_2" });
    await updateProfile(db(), editor, { name: "Ed", wechatId: "qunfa_editor", previewOpenid: "" });
    expect((await previewTargetFor(db(), editor.id)).ok).toBe(true);

    // Revoked: nothing.
    await setPreviewConfirmation(db(), admin, editor.id, await seenOf(editor.id), false);
    expect(await previewTargetFor(db(), editor.id)).toEqual({ ok: false, reason: "unconfirmed", value: "qunfa_editor" });
  });

  it("an admin confirms only what their page showed: an ID changed in between is refused", async () => {
    const shown = await seenOf(editor.id);
    await updateProfile(db(), editor, { name: "Ed", wechatId: "qunfa_demo_1", previewOpenid: "" });
    expect(code(await setPreviewConfirmation(db(), admin, editor.id, shown, true).catch((e: unknown) => e))).toBe("changed");
    expect((await previewTargetFor(db(), editor.id)).ok).toBe(false);
  });

  it("the only admin may confirm their own ID; once another admin exists, an admin cannot", async () => {
    await setPreviewConfirmation(db(), admin, admin.id, await seenOf(admin.id), true);
    expect(await previewTargetFor(db(), admin.id)).toMatchObject({ ok: true, to: "qunfa_boss" });
    await db().insert(user).values({ id: admin2.id, name: "Admin 2", email: admin2.email, role: "admin", wechatId: "qunfa_tester" });
    expect(code(await setPreviewConfirmation(db(), admin2, admin2.id, await seenOf(admin2.id), true).catch((e: unknown) => e))).toBe("selfConfirm");
    await setPreviewConfirmation(db(), admin, admin2.id, await seenOf(admin2.id), true);
    expect(await previewTargetFor(db(), admin2.id)).toMatchObject({ ok: true, to: "qunfa_tester" });
  });

  it("nothing to confirm, and an unknown user, are refused by name", async () => {
    await db().insert(user).values({ id: "u-v", name: "V", email: "v@x.test", role: "viewer" });
    expect(code(await setPreviewConfirmation(db(), admin, "u-v", { wechatId: null, previewOpenid: null }, true).catch((e: unknown) => e))).toBe(
      "nothingToConfirm",
    );
    expect(code(await setPreviewConfirmation(db(), admin, "u-nobody", { wechatId: null, previewOpenid: null }, true).catch((e: unknown) => e))).toBe(
      "notFound",
    );
  });
});
