export * from "./keys/index.ts";
export * from "./names/index.ts";
export * from "./protocols/index.ts";
export * from "./records/index.ts";
export * from "./verification/index.ts";
export * from "./versions/index.ts";
