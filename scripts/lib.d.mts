// Types for the plain-Node helpers in lib.mjs that TypeScript code (the benches) imports.
export const root: string;
export function serverEnv<T extends Record<string, string | undefined> = NodeJS.ProcessEnv>(base?: T): T & Record<string, string | undefined>;
