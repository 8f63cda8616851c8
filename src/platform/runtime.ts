/**
 * The platform haircut runs on. This is the one module that chooses: the
 * sources import Deno's implementation, and the npm build
 * (`scripts/build_npm.ts`) resolves `./deno.ts` here to `./node.ts`, so that
 * nothing Deno-specific reaches the Node bundle.
 *
 * @module
 */

export { platform } from "./deno.ts";
export type * from "./_types.ts";
