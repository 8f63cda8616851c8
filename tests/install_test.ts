/**
 * The README's install line, run as written (plus a temporary `--root`), and
 * the installed `haircut` command on the example publication.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const README = Deno.readTextFileSync(`${ROOT}README.md`);

/** The README's `deno install -g ...` command line, split into arguments after `deno`. */
function installArgs(): string[] {
  const m = /^deno (install -g [^\n]*)$/m.exec(README);
  assert.ok(m, "README has a `deno install -g` line");
  return m[1].split(" ");
}

/** The `npm` section of a lockfile: package@version -> integrity. */
function npmIntegrity(lockText: string): Map<string, string> {
  const lock = JSON.parse(lockText) as { npm: Record<string, { integrity: string }> };
  return new Map(Object.entries(lock.npm).map(([name, entry]) => [name, entry.integrity]));
}

Deno.test("install: the README's install line installs a working haircut command", async () => {
  const root = await Deno.makeTempDir({ prefix: "haircut-install-" });
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  try {
    const args = installArgs();
    assert.ok(!args.includes("--config"), "the install line needs no --config");
    const install = await new Deno.Command(Deno.execPath(), {
      args: [...args.slice(0, 2), "--root", root, ...args.slice(2)],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(install.code, 0, decode(install.stderr));

    const run = await new Deno.Command(`${root}/bin/haircut`, {
      args: ["verify", "fixtures/example", "--keys", "fixtures/example/keys.json"],
      cwd: ROOT,
      env: { NO_COLOR: "1", PATH: `${Deno.execPath().replace(/\/[^/]*$/, "")}:${Deno.env.get("PATH") ?? ""}` },
      stdin: "null",
    }).output();
    assert.equal(run.code, 0, decode(run.stderr));
    assert.match(
      decode(run.stdout),
      /^VALID: publication Example Exchange · 2026-11-03\/ETH-PERP re-derived from 8 leaves; every check passed\.\n/,
    );

    // The installed command's own lockfile pins exactly what the repository's deno.lock pins.
    const installed = npmIntegrity(await Deno.readTextFile(`${root}/bin/.haircut/deno.lock`));
    const pinned = npmIntegrity(await Deno.readTextFile(`${ROOT}deno.lock`));
    assert.ok(installed.size >= 2, "the installed lockfile lists the npm packages");
    for (const [name, integrity] of installed) assert.equal(integrity, pinned.get(name), name);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
