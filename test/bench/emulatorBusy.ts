import type { ProxiedCall } from '@cryptominer-defense/testing';

/** How busy the emulator was while a burst was being isolated (the calls the proxy forwarded to moto). */
export interface EmulatorBusy {
  /** Calls moto was asked between the delivery and the last incident's isolation (CloudTrail's fake not counted). */
  readonly calls: number;
  /** The time within that window in which moto was answering at least one call (ms, the union of the calls'). */
  readonly busyMs: number;
  /** busyMs ÷ the window: near 1, the burst's isolation waited on one emulator process, not on the engine. */
  readonly share: number;
}

/**
 * moto is one Python process: however many calls are on the wire, it answers them about one at a time. When it was
 * busy for nearly all of a burst's time to isolation, that time is the emulator's throughput, not a wait the engine
 * made (in AWS the calls of a burst go to many hosts, within the account's request rates).
 */
export function emulatorBusyBetween(calls: readonly ProxiedCall[], fromMs: number, toMs: number): EmulatorBusy {
  const intervals = calls
    .flatMap((call) => (call.upstream === undefined || call.service === 'cloudtrail' ? [] : [call.upstream]))
    .map(({ startMs, endMs }) => [Math.max(startMs, fromMs), Math.min(endMs, toMs)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let busyMs = 0;
  let coveredUntil = fromMs;
  for (const [start, end] of intervals) {
    if (end <= coveredUntil) continue;
    busyMs += end - Math.max(start, coveredUntil);
    coveredUntil = end;
  }
  const windowMs = toMs - fromMs;
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    calls: intervals.length,
    busyMs: round(busyMs, 1),
    share: windowMs <= 0 ? 0 : round(busyMs / windowMs, 2),
  };
}
