import assert from "node:assert/strict";
import * as haircut from "../mod.ts";

const ROOT = new URL("../", import.meta.url);

/** The first ```ts block of mod.ts's module documentation. */
function moduleExample(): string {
  const source = Deno.readTextFileSync(new URL("mod.ts", ROOT));
  const match = /```ts\n([\s\S]*?)```/.exec(source);
  assert.ok(match, "mod.ts has a ```ts example");
  return match[1].split("\n").map((line) => line.replace(/^ \* ?/, "")).join("\n");
}

Deno.test("mod.ts: the module example runs and verifies the example proof", async () => {
  const code = moduleExample().replace(`from "./mod.ts"`, `from ${JSON.stringify(new URL("mod.ts", ROOT).href)}`);
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/example.ts`;
    await Deno.writeTextFile(file, code);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--allow-read", `--config=${new URL("deno.json", ROOT).pathname}`, file],
      cwd: ROOT.pathname,
      env: { NO_COLOR: "1" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(stdout, /^\S+ pays \d+ minor units\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mod.ts: exports the verification API and every error code", () => {
  for (const name of ["verifyPublication", "verifyProof", "buildPublication", "checkChain", "parseKeysFile"]) {
    assert.equal(typeof (haircut as Record<string, unknown>)[name], "function", name);
  }
  assert.ok(haircut.ERROR_CODES.includes("ROUNDING_ORDER"));
  assert.equal(new Set(haircut.ERROR_CODES).size, haircut.ERROR_CODES.length);
});
