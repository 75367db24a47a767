// The package's entry (package.json "exports"): the dispatcher and the commands, for embedding and for tests.
export { type Command, type CommandIO, UsageError } from './command';
export { commands } from './commands/index';
export { main } from './main';
