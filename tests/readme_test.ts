import assert from "node:assert/strict";
import { runCli } from "../src/cli/main.ts";

const ROOT = new URL("../", import.meta.url);
const README = Deno.readTextFileSync(new URL("README.md", ROOT));

/** Each ```console block: the `$ deno task haircut ...` command and the output shown under it. */
function consoleExamples(): { args: string[]; output: string }[] {
  const out: { args: string[]; output: string }[] = [];
  for (const m of README.matchAll(/```console\n\$ deno task haircut ([^\n]*)\n([\s\S]*?)```/g)) {
    out.push({ args: m[1].split(" "), output: m[2] });
  }
  return out;
}

Deno.test("README: every console example prints exactly the output shown", async () => {
  const examples = consoleExamples();
  assert.ok(examples.length >= 1, "README has console examples");
  const cwd = Deno.cwd();
  Deno.chdir(ROOT);
  try {
    for (const { args, output } of examples) {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, output, `output of haircut ${args.join(" ")}`);
    }
  } finally {
    Deno.chdir(cwd);
  }
});

Deno.test("README: the module example runs from outside the repository, with no config file", async () => {
  const m = /```ts\n([\s\S]*?)```/.exec(README);
  assert.ok(m);
  const code = m[1].replace(`from "./mod.ts"`, `from ${JSON.stringify(new URL("mod.ts", ROOT).href)}`);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/readme.ts`, code);
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-read",
        "--no-config",
        `${dir}/readme.ts`,
      ],
      cwd: ROOT.pathname,
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    assert.equal(new TextDecoder().decode(r.stdout), "true 1300000n []\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
