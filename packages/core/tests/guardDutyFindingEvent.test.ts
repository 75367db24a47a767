import { describe, expect, it } from 'vitest';
import { InvalidFindingEventError } from '../src/errors';
import { parseGuardDutyFindingEvent, parseGuardDutyFindingEventJson } from '../src/guardDutyFindingEvent';
import { realCryptoEvent } from './fixtures';

function invalidField(input: unknown): string {
  try {
    parseGuardDutyFindingEvent(input);
  } catch (error) {
    if (error instanceof InvalidFindingEventError) return error.field;
    throw error;
  }
  throw new Error('expected the event to be refused');
}

describe('parseGuardDutyFindingEvent', () => {
  it('reads a real EventBridge GuardDuty event and keeps the fields it does not check', () => {
    // Prepare
    const event = realCryptoEvent();

    // Act
    const parsed = parseGuardDutyFindingEvent(event);

    // Assess
    expect(parsed.detail.accountId).toBe('111122223333');
    expect(parsed.detail.resource.instanceDetails?.instanceId).toBe('i-00aa97663294ffbbd');
    expect(parsed.detail).toHaveProperty('title');
  });

  it.each([
    ['not an object', 'a string', '(event)'],
    ['another source', { ...realCryptoEvent(), source: 'aws.securityhub' }, 'source'],
    ['another detail-type', { ...realCryptoEvent(), 'detail-type': 'Security Hub Findings - Imported' }, 'detail-type'],
    ['no detail', { ...realCryptoEvent(), detail: undefined }, 'detail'],
  ])('refuses %s, naming the field', (_case, input, field) => {
    // Act
    const actual = invalidField(input);

    // Assess
    expect(actual).toBe(field);
  });

  it.each([
    ['accountId', 'XXXXXXXXXXXX'],
    ['region', 'Ohio'],
    ['partition', 'amazon'],
    ['severity', 'High'],
  ])('refuses a malformed detail.%s, naming it', (name, value) => {
    // Prepare
    const event = realCryptoEvent();
    const detail = { ...(event.detail as Record<string, unknown>), [name]: value };

    // Act
    const actual = invalidField({ ...event, detail });

    // Assess
    expect(actual).toBe(`detail.${name}`);
  });

  it('says what was expected and how to fix it', () => {
    // Prepare
    const event = { ...realCryptoEvent(), source: 'aws.securityhub' };

    // Act
    const act = () => parseGuardDutyFindingEvent(event);

    // Assess
    expect(act).toThrow(/source: .*aws\.guardduty/);
  });

  it.each([
    ['truncated JSON', '{"version":"0","source":"aws.guard'],
    ['an empty body', ''],
    ['a byte-order mark before the JSON', `\ufeff${JSON.stringify(realCryptoEvent())}`],
    ['trailing garbage', `${JSON.stringify(realCryptoEvent())} rm -rf /`],
  ])('refuses text that is not JSON (%s) as the whole event', (_case, text) => {
    // Act
    const act = () => parseGuardDutyFindingEventJson(text);

    // Assess
    expect(act).toThrow(/^Invalid GuardDuty finding event: \(event\): not JSON/);
  });

  it('reads an event from its JSON text', () => {
    // Act
    const parsed = parseGuardDutyFindingEventJson(JSON.stringify(realCryptoEvent()));

    // Assess
    expect(parsed.detail.id).toBe('92c1a1d65b221e96d6a6fae27aaaae43');
  });

  it('does not echo unprintable input (a byte-order mark, control characters) in the error', () => {
    // Act
    const act = () => parseGuardDutyFindingEventJson(`\ufeff\u0000\u202e{`);

    // Assess
    expect(act).toThrow(/^[\x20-\x7e]+$/);
  });
});
