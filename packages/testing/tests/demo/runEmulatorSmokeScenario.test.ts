import { describe, expect, it } from 'vitest';
import { runEmulatorSmokeScenario } from '../../src/demo/runEmulatorSmokeScenario';
import { emulatorEndpoint } from '../../src/vitest/emulatorEndpoint';

describe('runEmulatorSmokeScenario', () => {
  it('checks isolation, the default egress rule and per-account CloudTrail, and all hold against moto', async () => {
    // Prepare
    const progress: string[] = [];

    // Act
    const checks = await runEmulatorSmokeScenario(emulatorEndpoint(), (line) => progress.push(line));

    // Assess
    expect(checks.map((check) => [check.title, check.passed])).toEqual([
      ['The central account reaches each member account only through that account’s role', true],
      ['A new security group lets all outbound traffic out', true],
      ['CloudTrail lookups answer per account', true],
    ]);
    expect(checks[0]?.detail).toMatch(/saw 5 instance\(s\): exactly that account’s own, none of another account’s/);
    expect(progress.join('\n')).toMatch(/Organization o-\w+: security account \d{12}/);
  });
});
