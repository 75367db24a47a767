import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/output/renderTable';
import { wrapLines, wrapText } from '../src/output/wrapLines';

const ARN = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_SecurityAudit_0123456789abcdef/person@example.com';
const SENTENCE = 'The root user launched the instance: IAM cannot restrict root. Secure the root user (password, MFA).';

describe('wrapText', () => {
  it.each([
    [SENTENCE, 14],
    [ARN, 30],
    ['x'.repeat(50), 7],
    [`${SENTENCE} ${ARN}`, 40],
  ])('keeps every character of %j, in lines of at most %i', (text, width) => {
    // Act
    const lines = wrapText(text, width);

    // Assess
    expect(lines.every((line) => line.length <= width)).toBe(true);
    expect(lines.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });

  it('breaks at a space when that leaves the line half full, else after / or :, never at the start', () => {
    // Act
    const sentence = wrapText(SENTENCE, 20);
    const arn = wrapText(ARN, 40);

    // Assess
    expect(sentence[0]).toBe('The root user');
    expect(arn[0]).toBe('arn:aws:sts::111122223333:assumed-role/');
  });
});

describe('wrapLines', () => {
  it('indents the continuation of a line two further than the line, keeping its own indent', () => {
    // Act
    const wrapped = wrapLines(`Why:\n  - ${SENTENCE}`, 40);

    // Assess
    expect(wrapped.split('\n')).toEqual([
      'Why:',
      '  - The root user launched the instance:',
      '    IAM cannot restrict root. Secure the',
      '    root user (password, MFA).',
    ]);
  });
});

describe('renderTable', () => {
  it('wraps a wrap column onto more lines of the same row, and leaves the ids whole, to fit the width', () => {
    // Prepare
    const rows = [{ id: 'i-0123456789abcdef0', detail: SENTENCE }];

    // Act
    const table = renderTable(
      rows,
      [
        { header: 'INSTANCE', value: (row) => row.id },
        { header: 'DETAIL', value: (row) => row.detail, wrap: true },
      ],
      { maxLineWidth: 50 },
    );

    // Assess
    const lines = table.split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(50);
    expect(lines[2]?.startsWith('i-0123456789abcdef0  ')).toBe(true);
    expect(lines.slice(3).every((line) => line.startsWith(' '.repeat(21)))).toBe(true);
    expect(
      lines
        .slice(2)
        .map((line) => line.slice(21))
        .join(' '),
    ).toBe(SENTENCE);
  });
});
