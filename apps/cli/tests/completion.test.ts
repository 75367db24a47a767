import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from '../src/command';
import { commands } from '../src/commands/index';
import { bashCompletion } from '../src/completion/bashCompletion';
import { completionModel } from '../src/completion/completionModel';
import { runCli } from './support/runCli';

const directory = mkdtempSync(join(tmpdir(), 'cli-completion-'));

function installed(shell: string): boolean {
  return spawnSync(shell, ['--version'], { stdio: 'ignore' }).error === undefined;
}

async function scriptFor(shell: string): Promise<string> {
  const run = await runCli(['completion', shell], {});
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** Sources the script in a real bash, sets COMP_WORDS/COMP_CWORD to `line` (cursor at its end), reads COMPREPLY. */
function bashCompletes(script: string, line: readonly string[]): string[] {
  const path = join(directory, `completion-${Math.random().toString(36).slice(2)}.bash`);
  writeFileSync(path, script);
  const words = line.map((word) => `'${word}'`).join(' ');
  const driver = `source '${path}'; COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; COMPREPLY=(); _cryptominer_defense_cli; printf '%s\\n' "\${COMPREPLY[@]}"; complete -p cli`;
  const run = spawnSync('bash', ['--norc', '--noprofile', '-c', driver], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.split('\n').filter((entry) => entry !== '');
  expect(lines.at(-1)).toBe('complete -o default -F _cryptominer_defense_cli cli');
  return lines.slice(0, -1);
}

/** The flags a command parses, as the command table declares them, plus --help. */
function flagsOf(flags: Command['flags']): string[] {
  return [...Object.keys(flags), 'help'].map((name) => `--${name}`);
}

describe('cli completion bash, run in bash', () => {
  it('completes a command name prefix, and the flags of a command and of a sub-command from the command table', async () => {
    // Prepare
    const script = await scriptFor('bash');

    // Act
    const prefix = bashCompletes(script, ['cli', 're']);
    const approveFlags = bashCompletes(script, ['cli', 'approve', '--']);
    const listFlags = bashCompletes(script, ['cli', '--profile', 'audit', 'reports', 'list', '--']);
    const subcommands = bashCompletes(script, ['cli', 'reports', '']);

    // Assess
    expect(prefix).toEqual(['reject', 'release', 'reports', 'respond', 'resume']);
    expect(approveFlags).toEqual(flagsOf(commands.approve?.flags ?? {}));
    expect(approveFlags).toEqual(['--role-name', '--bucket', '--output', '--json', '--help']);
    expect(listFlags).toEqual(flagsOf(commands.reports?.subcommands?.list ?? {}));
    expect(listFlags).toContain('--pending');
    expect(subcommands).toEqual(['list', 'show', '--help']);
  });

  it('offers the values of a flag with a fixed set, the formats of that command only, and nothing after a free value', async () => {
    // Prepare
    const script = await scriptFor('bash');

    // Act
    const doctorOutputs = bashCompletes(script, ['cli', 'doctor', '--output', '']);
    const rejectOutputs = bashCompletes(script, ['cli', 'reject', 'some-finding', '--output', '']);
    const showFormats = bashCompletes(script, ['cli', 'reports', 'show', 'key', '--format', 'h']);
    const afterBucket = bashCompletes(script, ['cli', 'pause', '--bucket', '']);
    const shells = bashCompletes(script, ['cli', 'completion', '']);

    // Assess
    expect(doctorOutputs).toEqual(['table', 'json', 'csv']);
    expect(rejectOutputs).toEqual(['table', 'json']);
    expect(showFormats).toEqual(['html']);
    expect(afterBucket).toEqual([]);
    expect(shells).toEqual(['bash', 'zsh', 'fish', '--program', '--help']);
  });

  it('completes a command and a flag added to the table, with no change to the script generator', () => {
    // Prepare
    const table: Record<string, Command> = {
      ...commands,
      quarantine: {
        summary: 'a command that does not exist',
        help: '',
        flags: { 'dry-run': { type: 'boolean' }, mode: { type: 'string', choices: ['soft', 'hard'] } },
        run: async () => 0,
      },
    };
    const script = bashCompletion(completionModel(table), 'cli');

    // Act
    const names = bashCompletes(script, ['cli', 'qu']);
    const flags = bashCompletes(script, ['cli', 'quarantine', '--']);
    const modes = bashCompletes(script, ['cli', 'quarantine', '--mode', '']);

    // Assess
    expect(names).toEqual(['quarantine']);
    expect(flags).toEqual(['--dry-run', '--mode', '--help']);
    expect(modes).toEqual(['soft', 'hard']);
  });
});

const zshMissing = !installed('zsh');
const fishMissing = !installed('fish');

describe('cli completion zsh', () => {
  it('is a compdef function for cli that names every command', async () => {
    // Act
    const script = await scriptFor('zsh');

    // Assess
    expect(script.startsWith('#compdef cli\n')).toBe(true);
    expect(script).toContain('\ncompdef _cryptominer_defense_cli cli\n');
    for (const name of Object.keys(commands)) expect(script).toMatch(new RegExp(`candidates=\\(.*\\b${name}\\b`));
  });

  it.skipIf(zshMissing)(
    `parses and, run in zsh with compadd recorded, offers a command prefix's candidates and a command's flags${zshMissing ? ' (skipped: zsh is not installed; apt-get install zsh)' : ''}`,
    async () => {
      // Prepare
      const path = join(directory, 'completion.zsh');
      writeFileSync(path, await scriptFor('zsh'));
      // zsh's completion system calls the function with words and CURRENT set; compadd filters by the prefix.
      const driver = `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }; _files() { print -r -- '<files>'; }
source '${path}'
words=(cli approve --); CURRENT=3; _cryptominer_defense_cli; print -r -- '|'
words=(cli doctor --output ''); CURRENT=4; _cryptominer_defense_cli; print -r -- '|'
words=(cli respond --event ''); CURRENT=4; _cryptominer_defense_cli`;

      // Act
      const syntax = spawnSync('zsh', ['-n', path], { encoding: 'utf8' });
      const run = spawnSync('zsh', ['-f', '-c', driver], { encoding: 'utf8' });

      // Assess
      expect(syntax.status, syntax.stderr).toBe(0);
      expect(run.status, run.stderr).toBe(0);
      const [approveFlags, doctorOutputs, eventValue] = run.stdout.split('|\n').map((part) => part.trim().split('\n'));
      expect(approveFlags).toEqual(flagsOf(commands.approve?.flags ?? {}));
      expect(doctorOutputs).toEqual(['table', 'json', 'csv']);
      expect(eventValue).toEqual(['<files>']);
    },
  );
});

describe('cli completion fish', () => {
  it('is one complete line per command, sub-command and flag, under its place', async () => {
    // Act
    const script = await scriptFor('fish');

    // Assess
    const lines = script.split('\n').filter((line) => line.startsWith('complete -c cli '));
    for (const name of Object.keys(commands)) expect(lines.some((line) => line.includes(`-a '${name}'`))).toBe(true);
    expect(lines).toContain(
      "complete -c cli -n '__fish_seen_subcommand_from reports; and __fish_seen_subcommand_from list' -l output -x -a 'table json csv'",
    );
  });

  it.skipIf(fishMissing)(
    `completes in fish (complete -C) a command prefix, a sub-command's flag and a flag's values${fishMissing ? ' (skipped: fish is not installed; apt-get install fish)' : ''}`,
    async () => {
      // Prepare
      const path = join(directory, 'completion.fish');
      writeFileSync(path, await scriptFor('fish'));
      const complete = (line: string) => {
        const run = spawnSync('fish', ['--no-config', '-c', `source '${path}'; complete -C '${line}'`], {
          encoding: 'utf8',
        });
        expect(run.status, run.stderr).toBe(0);
        return run.stdout
          .split('\n')
          .filter((entry) => entry !== '')
          .map((entry) => entry.split('\t')[0]);
      };

      // Act
      const prefix = complete('cli re');
      const listFlag = complete('cli reports list --pen');
      const outputs = complete('cli reject x --output ');

      // Assess
      expect(prefix).toEqual(['reject', 'release', 'reports', 'respond', 'resume']);
      expect(listFlag).toEqual(['--pending']);
      expect(outputs.sort()).toEqual(['json', 'table']);
    },
  );
});

describe('cli completion, wrong usage', () => {
  it.each([
    [
      ['completion', 'powershell'],
      'completion needs a shell: bash, zsh, fish (got "powershell"). Run "cli completion --help".\n',
    ],
    [['completion'], 'completion needs a shell: bash, zsh, fish. Run "cli completion --help".\n'],
    [
      ['completion', 'bash', '--program', 'a b'],
      'completion: --program "a b" is not a command name (letters, digits, _ . -).\n',
    ],
  ])('cli %j: exit 2 and one line naming the shells it knows', async (args, message) => {
    // Act
    const run = await runCli(args, {});

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(message);
  });
});
