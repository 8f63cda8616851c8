/**
 * `verify --junit <file> --markdown <file> --json <file>`: each report file
 * holds exactly what `--format junit|markdown|json` prints, from the one
 * run; the files are opened before write permission is dropped and written
 * after the pass; a run that could not start leaves no file; usage errors.
 */

import assert from "node:assert/strict";
import { runCli } from "../src/cli/main.ts";
import { platform } from "../src/platform/runtime.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const EX = `${ROOT}fixtures/example`;
const TAMPERED = `${ROOT}fixtures/tampered`;

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haircut-reports-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (
  const [name, dir, keys, code] of [
    ["a valid publication", EX, `${EX}/keys.json`, 0],
    ["a tampered publication", `${TAMPERED}/haircut-exceeds-base`, `${TAMPERED}/base/keys.json`, 1],
  ] as const
) {
  Deno.test(`verify reports: ${name} gives each file what --format prints`, async () => {
    await withTempDir(async (tmp) => {
      const base = ["verify", dir, "--keys", keys, "--max-errors", "3"];
      const r = await runCli([
        ...base,
        "--junit",
        `${tmp}/report.xml`,
        "--markdown",
        `${tmp}/summary.md`,
        "--json",
        `${tmp}/report.json`,
      ]);
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stdout, (await runCli(base)).stdout, "stdout is the text report");
      for (const [file, format] of [["report.xml", "junit"], ["summary.md", "markdown"], ["report.json", "json"]]) {
        const alone = await runCli([...base, "--format", format]);
        assert.equal(alone.code, code);
        assert.equal(await Deno.readTextFile(`${tmp}/${file}`), alone.stdout, file);
      }
      const json = JSON.parse(await Deno.readTextFile(`${tmp}/report.json`));
      assert.equal(json.ok, code === 0);
      if (code === 1) assert.match(await Deno.readTextFile(`${tmp}/report.xml`), /<failure /);
    });
  });
}

Deno.test("verify reports: --format json on stdout and --json to a file agree", async () => {
  await withTempDir(async (tmp) => {
    const args = ["verify", EX, "--keys", `${EX}/keys.json`, "--format", "json", "--json", `${tmp}/r.json`];
    const r = await runCli(args);
    assert.equal(r.code, 0);
    assert.equal(await Deno.readTextFile(`${tmp}/r.json`), r.stdout);
  });
});

Deno.test("verify reports: the files are open before write permission goes, and written after the pass", async () => {
  await withTempDir(async (tmp) => {
    const seen: [boolean, number][] = [];
    const r = await runCli(
      ["verify", EX, "--keys", `${EX}/keys.json`, "--junit", `${tmp}/j.xml`, "--markdown", `${tmp}/m.md`],
      {
        dropWritePermission: async () => {
          for (const f of ["j.xml", "m.md"]) {
            seen.push([await platform.exists(`${tmp}/${f}`), (await Deno.stat(`${tmp}/${f}`)).size]);
          }
        },
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(seen, [[true, 0], [true, 0]], "dropped once, with both files created and still empty");
    assert.ok((await Deno.stat(`${tmp}/j.xml`)).size > 0);
    assert.ok((await Deno.stat(`${tmp}/m.md`)).size > 0);
  });
});

Deno.test("verify reports: the other read-only commands drop write permission before they run", async () => {
  let dropped = 0;
  const r = await runCli(["inspect", `${EX}/statement.dsse.json`], {
    dropWritePermission: () => Promise.resolve(void dropped++),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(dropped, 1);
  const p = await runCli(["keygen", "--help"], { dropWritePermission: () => Promise.resolve(void dropped++) });
  assert.equal(p.code, 0);
  assert.equal(dropped, 1, "keygen keeps write permission");
});

Deno.test("verify reports: a run that cannot start writes no report", async () => {
  await withTempDir(async (tmp) => {
    const r = await runCli(["verify", `${tmp}/missing`, "--keys", `${EX}/keys.json`, "--junit", `${tmp}/j.xml`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not exist/);
    assert.equal(await platform.exists(`${tmp}/j.xml`), false);
  });
});

Deno.test("verify reports: usage errors exit 2", async () => {
  await withTempDir(async (tmp) => {
    const base = ["verify", EX, "--keys", `${EX}/keys.json`];
    const same = await runCli([...base, "--junit", `${tmp}/x`, "--json", `${tmp}/x`]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /each report needs its own file/);
    const empty = await runCli([...base, "--markdown", ""]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /must not be empty/);
    const noDir = await runCli([...base, "--junit", `${tmp}/no/such/dir/j.xml`]);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /report file .* cannot be written: no such directory/);
  });
});

Deno.test("verify reports: the real CLI writes them with write permission for those files only", async () => {
  await withTempDir(async (tmp) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--quiet",
        "--allow-read",
        `--allow-write=${tmp}/j.xml,${tmp}/m.md`,
        `${ROOT}src/cli/main.ts`,
        "verify",
        EX,
        "--keys",
        `${EX}/keys.json`,
        "--junit",
        `${tmp}/j.xml`,
        "--markdown",
        `${tmp}/m.md`,
      ],
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const junit = await runCli(["verify", EX, "--keys", `${EX}/keys.json`, "--format", "junit"]);
    assert.equal(await Deno.readTextFile(`${tmp}/j.xml`), junit.stdout);
    assert.match(await Deno.readTextFile(`${tmp}/m.md`), /VALID/);
  });
});
