import { describe, expect, it } from 'vitest';
import { MalformedPauseSwitchError, PAUSE_SWITCH_KEY, parsePauseSwitch, pausedModeDecision } from '../src/pauseSwitch';

const PAUSED = {
  paused: true,
  reason: 'storm',
  by: 'arn:aws:iam::111111111111:user/alice',
  at: '2026-12-02T10:00:00Z',
};

describe('parsePauseSwitch', () => {
  it('reads the object cli pause writes', () => {
    expect(parsePauseSwitch(`${JSON.stringify(PAUSED)}\n`)).toEqual(PAUSED);
  });

  it.each([
    ['not JSON', 'paused', /responder-state\/pause\.json is not JSON: rewrite it with cli pause or cli resume/],
    ['paused as a string', JSON.stringify({ ...PAUSED, paused: 'yes' }), /is not a pause switch: paused: /],
    ['no one named', JSON.stringify({ ...PAUSED, by: '' }), /is not a pause switch: by: /],
    ['a time that is none', JSON.stringify({ ...PAUSED, at: 'now' }), /is not a pause switch: at: /],
    ['a key it does not know', JSON.stringify({ ...PAUSED, until: 'tomorrow' }), /is not a pause switch: \(object\): /],
  ])('refuses %s, naming the field', (_case, text, message) => {
    // Act
    const act = () => parsePauseSwitch(text);

    // Assess
    expect(act).toThrow(MalformedPauseSwitchError);
    expect(act).toThrow(message);
  });
});

describe('pausedModeDecision', () => {
  it('paused: observe, saying who, when and why', () => {
    expect(pausedModeDecision({ pauseSwitch: PAUSED }, null)).toEqual({
      mode: 'observe',
      reason: 'paused by arn:aws:iam::111111111111:user/alice at 2026-12-02T10:00:00Z: storm',
    });
    expect(pausedModeDecision({ pauseSwitch: { ...PAUSED, reason: '' } }, null)?.reason).toMatch(/: no reason given$/);
  });

  it('not paused, or never written: the policy decides', () => {
    expect(pausedModeDecision({ pauseSwitch: { ...PAUSED, paused: false } }, null)).toBeNull();
    expect(pausedModeDecision({ pauseSwitch: null }, null)).toBeNull();
  });

  it('unreadable: observe, with the error code', () => {
    expect(pausedModeDecision(null, { errorCode: 'AccessDenied' })).toEqual({
      mode: 'observe',
      reason: `the pause switch (${PAUSE_SWITCH_KEY}) could not be read (AccessDenied): observe, since the responder cannot know whether it is paused`,
    });
  });
});
