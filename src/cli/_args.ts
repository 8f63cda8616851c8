/**
 * Reading a command's arguments: one parser for every command, so that the
 * same rules hold everywhere. Kept apart from `_common.ts`, which the web
 * page bundles and which must not import `node:` modules.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { usage } from "./_common.ts";

/** What {@linkcode parseCommandArgs} returns for `config`: `parseArgs`'s result. */
export type ParsedArgs<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * `node:util`'s `parseArgs` for every command, with two rules of its own:
 * an option that is not `multiple` may be given once (`--keys a --keys b`
 * is a usage error, never "the last one wins"), and a negative number after
 * an option that takes a value is that option's value (`--max-errors -1`
 * reaches the command's own range check instead of parseArgs' "ambiguous").
 */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): ParsedArgs<T> {
  const options = config.options ?? {};
  const given = config.args ?? [];
  const args: string[] = [];
  for (let i = 0; i < given.length; i++) {
    if (given[i] === "--") {
      args.push(...given.slice(i));
      break;
    }
    const option = given[i].startsWith("--") ? options[given[i].slice(2)] : undefined;
    const next = given[i + 1];
    if (option?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      args.push(`${given[i]}=${next}`);
      i++;
    } else {
      args.push(given[i]);
    }
  }
  const parsed = parseArgs({ ...config, args, tokens: true });
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option" || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) usage(command, `--${token.name} given twice`);
    seen.add(token.name);
  }
  return parsed as ParsedArgs<T>;
}
