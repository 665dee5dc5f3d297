import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/command-table.js";
import { buildProgram } from "../src/program.js";

describe("command table", () => {
  it("lists every command with the usage and description its module registers", async () => {
    const program = await buildProgram();
    expect(program.commands.map((c) => c.name())).toEqual(Object.keys(COMMANDS));
    for (const cmd of program.commands) {
      expect({ name: cmd.name(), usage: cmd.usage(), summary: cmd.description() }).toEqual({
        name: cmd.name(),
        usage: COMMANDS[cmd.name()].usage,
        summary: COMMANDS[cmd.name()].summary,
      });
    }
  });

  it("`cje --help` lists the commands without loading them, as the loaded program lists them", async () => {
    const listed = await buildProgram(["node", "cje", "--help"]);
    const loaded = await buildProgram();
    const help = (p: Command) => p.helpInformation();
    expect(help(listed)).toBe(help(loaded));
    expect(listed.commands.every((c) => c.options.length === 0)).toBe(true);
    const analyze = await buildProgram(["node", "cje", "analyze"]);
    expect(analyze.commands.map((c) => c.name())).toEqual(["analyze"]);
    const helpOf = await buildProgram(["node", "cje", "help", "plan"]);
    expect(helpOf.commands.map((c) => c.name())).toEqual(["plan"]);
  });
});
