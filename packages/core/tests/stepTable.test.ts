import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESPONDER_README, STEP_TABLE_BEGIN, stepTable, withStepTable } from '../scripts/stepTable';

describe('the step table of the responder README', () => {
  it('is the one the registry makes (pnpm --filter @cryptominer-defense/core steps rewrites it)', () => {
    const readme = readFileSync(RESPONDER_README, 'utf8');
    expect(readme).toContain(STEP_TABLE_BEGIN);
    expect(withStepTable(readme)).toBe(readme);
  });

  it('has a row per step naming its actions (the check is live)', () => {
    expect(stepTable()).toMatch(/\| `stopInstance` \|.*\| full \|.*`ec2:StopInstances`/);
    expect(withStepTable(`${STEP_TABLE_BEGIN}\nstale\n<!-- end of step table -->`)).not.toContain('stale');
  });
});
