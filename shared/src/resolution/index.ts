export * from "./answer.ts";
