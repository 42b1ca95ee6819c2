// Types for the plain-Node helpers in lib.mjs that TypeScript code (the benches) imports.
export const root: string;
export function serverEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
