import type { Command } from '../command';
import { approve } from './approve';
import { demo } from './demo';
import { doctor } from './doctor';
import { pause } from './pause';
import { reject } from './reject';
import { release } from './release';
import { reports } from './reports';
import { respond } from './respond';
import { resume } from './resume';
import { simulate } from './simulate';

/** The CLI's sub-commands, by name. Adding one: a file in this folder plus one line here. */
export const commands: Record<string, Command> = {
  approve,
  demo,
  doctor,
  pause,
  reject,
  release,
  reports,
  respond,
  resume,
  simulate,
};
