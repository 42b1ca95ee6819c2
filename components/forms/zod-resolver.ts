// What validating a form in the browser needs besides its schema: fetched with it, on first use
// (see lazy-resolver.ts).
export { zodResolver } from "@hookform/resolvers/zod";
export { zodErrorMap } from "@/lib/i18n/zod-errors";
