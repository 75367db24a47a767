import type { Command } from '../command';

/** The CLI's sub-commands, by name. Adding one: a file in this folder plus one line here. */
export const commands: Record<string, Command> = {};
