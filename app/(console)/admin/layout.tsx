import { requirePageUser } from "@/lib/auth/guard";

/**
 * Admin only. Checked here as well as in each page: this layout sits outside the pages' loading
 * boundary, so a refusal is a real 403 (or redirect) before anything streams.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser("admin");
  return children;
}
