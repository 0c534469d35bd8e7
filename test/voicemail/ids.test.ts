import { describe, expect, it } from 'vitest';
import { parseVoicemailArgs } from '../../src/voicemail/args.js';
import {
  parseMailboxAddress,
  recordingPrefix,
  safeToken,
  VoicemailInputError,
  validateDigits,
  validateMailboxId,
} from '../../src/voicemail/ids.js';
import { InMemoryMailboxDirectory, resolveMailbox } from '../../src/voicemail/mailbox.js';

const TRAVERSALS = [
  '',
  '..',
  '../306',
  '305/..',
  '305/../../etc/passwd',
  '/etc',
  '305\\..',
  '.',
  '.305',
  ' 305',
  '305 ',
  '30\n5',
  '305\0',
  'a'.repeat(81),
  '1'.repeat(1_000),
  '%2e%2e',
  '%2e%2e%2f306',
  '..%2f306',
  // Unicode that looks like digits, dots or slashes, or that a file system may normalise into them.
  '\uFF13\uFF10\uFF15',
  '\u0663\u0660\u0665',
  '305\u2215etc',
  '305\uFF0F..',
  '\u2025',
  '\uFF0E\uFF0E',
  '30\u00055',
  '305\u200B',
  'e\u0301',
];

describe('mailbox ids', () => {
  it.each(['305', '1', 'sales-1', 'Bob_2'])('accepts %j', (id) => {
    expect(validateMailboxId(id)).toBe(id);
    expect(recordingPrefix({ mailbox: id, context: 'default' })).toBe(`voicemail/default/${id}/`);
  });

  it.each(TRAVERSALS)('refuses %j with a clear error naming the field', (id) => {
    let error: unknown;
    try {
      validateMailboxId(id);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VoicemailInputError);
    expect((error as VoicemailInputError).field).toBe('mailbox');
    expect((error as Error).message).toContain('invalid mailbox');
    expect(() => recordingPrefix({ mailbox: id, context: 'default' })).toThrow(VoicemailInputError);
    expect(() => recordingPrefix({ mailbox: '305', context: id })).toThrow(VoicemailInputError);
  });

  it('refuses what is not a string', () => {
    expect(() => validateMailboxId(305)).toThrow(/not a string/);
    expect(() => validateMailboxId(undefined)).toThrow(VoicemailInputError);
  });

  it('parses 305 and 305@context', () => {
    expect(parseMailboxAddress('305')).toEqual({ mailbox: '305', context: 'default' });
    expect(parseMailboxAddress('305', 'sales')).toEqual({ mailbox: '305', context: 'sales' });
    expect(parseMailboxAddress('305@other')).toEqual({ mailbox: '305', context: 'other' });
    expect(() => parseMailboxAddress('305@../x')).toThrow(/invalid context/);
    expect(() => parseMailboxAddress('305@')).toThrow(/empty/);
    expect(() => parseMailboxAddress('@default')).toThrow(/empty/);
    expect(() => parseMailboxAddress('305@a@b')).toThrow(VoicemailInputError);
  });

  it('digits typed by callers are only digits', () => {
    expect(validateDigits('306')).toBe('306');
    for (const bad of ['', '30#', '*', '3 0', '../1', '1'.repeat(41)])
      expect(() => validateDigits(bad)).toThrow(VoicemailInputError);
  });

  it('safeToken turns a channel id into a name-safe token', () => {
    expect(safeToken('1795298152.13')).toBe('1795298152-13');
    expect(safeToken('../../x')).toBe('------x');
    expect(safeToken('')).toBe('x');
  });
});

describe('Stasis arguments', () => {
  it.each([
    [['305'], { mailbox: '305', context: 'default', greeting: 'unavailable', skipInstructions: false }],
    [['305@sales'], { mailbox: '305', context: 'sales', greeting: 'unavailable', skipInstructions: false }],
    [['305', 'b'], { mailbox: '305', context: 'default', greeting: 'busy', skipInstructions: false }],
    [['305', 'us'], { mailbox: '305', context: 'default', greeting: 'unavailable', skipInstructions: true }],
    [['b305'], { mailbox: '305', context: 'default', greeting: 'busy', skipInstructions: false }],
    [['su305@x'], { mailbox: '305', context: 'x', greeting: 'unavailable', skipInstructions: true }],
    [['bob'], { mailbox: 'bob', context: 'default', greeting: 'unavailable', skipInstructions: false }],
  ])('%j', (args, expected) => {
    expect(parseVoicemailArgs(args)).toEqual(expected);
  });

  it.each([
    [[]],
    [['']],
    [['../305']],
    [['305&306']],
    [['305', 'z']],
    [['u../1']],
    [['b3../x']],
    [['%2e%2e%2f305']],
    [['\uFF13\uFF10\uFF15']],
    [['b\u0663\u0660']],
    [['305@..']],
    [['305@default/../x']],
    [['305@\uFF44efault']],
    [['1'.repeat(1_000)]],
  ])('refuses %j', (args) => {
    expect(() => parseVoicemailArgs(args)).toThrow(VoicemailInputError);
  });

  it('keeps the error message short for a huge argument, with the whole value on the error', () => {
    const huge = `${'1'.repeat(100_000)}/..`;
    let error: VoicemailInputError | undefined;
    try {
      parseVoicemailArgs([huge]);
    } catch (e) {
      error = e as VoicemailInputError;
    }
    expect(error).toBeInstanceOf(VoicemailInputError);
    expect(error!.message.length).toBeLessThan(300);
    expect(error!.message).toMatch(/^invalid mailbox "1{20,}.*\(100003 characters\)/);
    expect(error!.value).toBe(huge);
  });
});

describe('mailboxes', () => {
  it('fills app_voicemail defaults and validates limits and greetings', () => {
    expect(resolveMailbox({ mailbox: '305' })).toEqual({
      mailbox: '305',
      context: 'default',
      displayName: '305',
      greetings: { unavailable: undefined, busy: undefined, temporary: undefined },
      limits: { maxMessages: 100, maxMessageSeconds: 300, minMessageSeconds: 0, maxSilenceSeconds: 10 },
    });
    expect(() => resolveMailbox({ mailbox: '305', limits: { maxMessages: 0 } })).toThrow(/maxMessages/);
    expect(() => resolveMailbox({ mailbox: '305', limits: { maxSilenceSeconds: -1 } })).toThrow(/maxSilenceSeconds/);
    expect(() => resolveMailbox({ mailbox: '305', limits: { bogus: 1 } as never })).toThrow(/unknown limit/);
    expect(() => resolveMailbox({ mailbox: '305', greetings: { busy: '../../etc/x' } })).toThrow(/greetings.busy/);
  });

  it('the in-memory directory finds mailboxes by address and refuses duplicates', async () => {
    const directory = new InMemoryMailboxDirectory([
      { mailbox: '305', displayName: 'Alice' },
      { mailbox: '305', context: 'sales' },
    ]);
    expect(await directory.find('305')).toMatchObject({ displayName: 'Alice', context: 'default' });
    expect(await directory.find('305@sales')).toMatchObject({ context: 'sales' });
    expect(await directory.find('306')).toBeUndefined();
    await expect(directory.find('../305')).rejects.toBeInstanceOf(VoicemailInputError);
    expect(await directory.list()).toHaveLength(2);
    expect(() => new InMemoryMailboxDirectory([{ mailbox: '305' }, { mailbox: '305' }])).toThrow(/listed twice/);
  });
});
