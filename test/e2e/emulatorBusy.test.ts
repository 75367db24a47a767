import type { ProxiedCall } from '@cryptominer-defense/testing';
import { describe, expect, it } from 'vitest';
import { emulatorBusyBetween } from '../bench/emulatorBusy';

const call = (service: string, startMs: number, endMs: number): ProxiedCall => ({
  service,
  region: 'us-east-1',
  accessKeyId: 'AKIA',
  path: '/',
  protocol: 'ec2Query',
  operation: 'ModifyNetworkInterfaceAttribute',
  sequence: 1,
  faults: [],
  status: 200,
  readOnly: false,
  upstream: { target: 'http://127.0.0.1:1', startMs, endMs },
});

describe("the bench's measure of how busy moto was until a burst was isolated", () => {
  it('counts overlapping answers once, clips them to the window, and leaves out the CloudTrail fake', () => {
    // Prepare: within 0–100 ms, moto answers 10–30 and 20–40 (overlapping: 30 ms), 90–120 (10 ms inside), and the
    // CloudTrail fake answers 50–80 (not moto).
    const calls = [call('ec2', 10, 30), call('ec2', 20, 40), call('s3', 90, 120), call('cloudtrail', 50, 80)];

    // Act
    const busy = emulatorBusyBetween(calls, 0, 100);

    // Assess
    expect(busy).toEqual({ calls: 3, busyMs: 40, share: 0.4 });
  });

  it('leaves out calls the proxy answered itself (no upstream) and calls outside the window', () => {
    // Prepare
    const { upstream: _answeredByTheProxy, ...faulted } = call('ec2', 0, 0);
    const calls = [faulted, call('ec2', 200, 300)];

    // Act
    const busy = emulatorBusyBetween(calls, 0, 100);

    // Assess
    expect(busy).toEqual({ calls: 0, busyMs: 0, share: 0 });
  });
});
