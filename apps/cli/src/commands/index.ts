import type { Command } from '../command';
import { approve } from './approve';
import { completionCommand } from './completion';
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
  // Given the table itself, lazily: the completion covers every command here, itself included.
  completion: completionCommand(() => commands),
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
