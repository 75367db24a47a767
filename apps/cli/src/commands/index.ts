import type { Command } from '../command';
import { demo } from './demo';
import { doctor } from './doctor';
import { pause } from './pause';
import { release } from './release';
import { reports } from './reports';
import { respond } from './respond';
import { resume } from './resume';
import { simulate } from './simulate';

/** The CLI's sub-commands, by name. Adding one: a file in this folder plus one line here. */
export const commands: Record<string, Command> = {
  demo,
  doctor,
  pause,
  release,
  reports,
  respond,
  resume,
  simulate,
};
