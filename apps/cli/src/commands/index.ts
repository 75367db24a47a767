import type { Command } from '../command';
import { demo } from './demo';

/** The CLI's sub-commands, by name. Adding one: a file in this folder plus one line here. */
export const commands: Record<string, Command> = {
  demo,
};
