import { describe, expect, it } from 'vitest';
import { runEmulatorSmokeScenario } from '../../src/demo/runEmulatorSmokeScenario';
import { resetEmulator } from '../../src/emulator/resetEmulator';
import { startFaultInjectingProxy } from '../../src/faults';
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

describe('runEmulatorSmokeScenario when the emulator misbehaves', () => {
  it('reports the failing check with its AWS error and still runs the others', async () => {
    // Prepare
    await resetEmulator(emulatorEndpoint());
    const proxy = await startFaultInjectingProxy({
      target: emulatorEndpoint(),
      rules: [{ service: 'ec2', operation: 'DescribeSecurityGroups', fault: 'accessDenied' }],
    });

    try {
      // Act
      const checks = await runEmulatorSmokeScenario(proxy.endpoint);

      // Assess
      expect(checks.map((check) => check.passed)).toEqual([true, false, true]);
      expect(checks[1]?.detail).toMatch(/^the check could not run: \w*(AccessDenied|UnauthorizedOperation)/);
    } finally {
      await proxy.stop();
    }
  });
});
