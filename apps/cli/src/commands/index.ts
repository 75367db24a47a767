import type { Command } from '../command';
import { demo } from './demo';
import { respond } from './respond';

/** The CLI's sub-commands, by name. Adding one: a file in this folder plus one line here. */
export const commands: Record<string, Command> = {
  demo,
  respond,
};
