import { and, assign, fromPromise, not, setup } from 'xstate';
import type {
  ChannelDtmfReceived,
  PlaybackFinished,
  RecordingFailed,
  RecordingFinished,
  RecordingStarted,
} from '../src/ari/events.js';
import type { HangupEvent } from './hangup.js';

// The mailbox owner's menu, after app_voicemail's VoiceMailMain(): log in with the mailbox and its PIN, hear how
// many new and old messages there are, listen to each message with its envelope and act on it (repeat, next,
// previous, delete, save to a folder, urgent or not, forward), and the mailbox options (greetings, PIN). Pure:
// every side effect is a named action or invoked actor that `src/voicemail/` provides (the placeholders here throw).

/** The DTMF keys of the menu, each one key of `0-9 * # A-D`, or `null` to switch it off. */
export interface VoicemailMainKeys {
  /** Ends typing a mailbox, a PIN or a mailbox to forward to. Default `#`. */
  readonly enter: string | null;
  /** Main menu: hear the messages of the current folder from the first. Default `1`. */
  readonly listen: string | null;
  /** Main menu: change folder (then the folder's digit). Default `2`. */
  readonly changeFolder: string | null;
  /** Main menu: the mailbox options. Default `0`. */
  readonly options: string | null;
  /** Main and message menus: hear the choices again. Default `*`. */
  readonly help: string | null;
  /** Main and message menus: leave the mailbox. Default `#`. */
  readonly exit: string | null;
  /** Message menu: the message before. Default `4`. */
  readonly previous: string | null;
  /** Message menu: hear the message again. Default `5`. */
  readonly repeat: string | null;
  /** Message menu: the message after. Default `6`. */
  readonly next: string | null;
  /** Message menu: delete the message. Default `7`. */
  readonly delete: string | null;
  /** Message menu: forward the message to another mailbox (its digits, then `enter`). Default `8`. */
  readonly forward: string | null;
  /** Message menu: save the message to a folder (then the folder's digit). Default `9`. */
  readonly save: string | null;
  /**
   * Message menu: mark the message urgent, or not urgent when it is. Default `3` (app_voicemail's advanced options,
   * which this menu does not have).
   */
  readonly urgent: string | null;
  /** Choosing a folder or typing a mailbox to forward to: give up. Default `*`. */
  readonly cancel: string | null;
  /** Options: record the unavailable greeting. Default `1`. */
  readonly recordUnavailable: string | null;
  /** Options: record the busy greeting. Default `2`. */
  readonly recordBusy: string | null;
  /** Options: record your name. Default `3`. */
  readonly recordName: string | null;
  /** Options: the temporary greeting (record it, or remove it when there is one). Default `4`. */
  readonly temporaryGreeting: string | null;
  /** Options: change the PIN. Default `5`. */
  readonly changePin: string | null;
  /** Options and the temporary-greeting menu: back. Default `*`. */
  readonly back: string | null;
  /** Recording a greeting: stop. Default `#`. */
  readonly stopRecording: string | null;
  /** Reviewing a greeting: keep it. Default `1`. */
  readonly accept: string | null;
  /** Reviewing a greeting: hear it. Default `2`. */
  readonly review: string | null;
  /** Reviewing a greeting: record it again. Default `3`. */
  readonly rerecord: string | null;
  /** Temporary-greeting menu: record it again. Default `1`. */
  readonly temporaryRecord: string | null;
  /** Temporary-greeting menu: remove it. Default `2`. */
  readonly temporaryRemove: string | null;
}

/** The folders the menu lets the owner open and save to, by the digit app_voicemail gives them. */
export const MENU_FOLDERS = ['INBOX', 'Old', 'Work', 'Family', 'Friends'] as const;
export type MenuFolder = (typeof MENU_FOLDERS)[number];

/** The greetings a mailbox has (`name`: the owner's recorded name). */
export type MainGreetingKind = 'unavailable' | 'busy' | 'name' | 'temporary';

/** Media lists (ARI media URIs) the menu plays; defaults are Asterisk's core English prompts. */
export interface VoicemailMainPrompts {
  /** "Mailbox?". Default `sound:vm-login`. */
  readonly askMailbox: readonly string[];
  /** "Password". Default `sound:vm-password`. */
  readonly askPin: readonly string[];
  /** A wrong PIN for a mailbox given by the dialplan. Default `sound:vm-incorrect`. */
  readonly incorrect: readonly string[];
  /** A wrong mailbox or PIN, both typed. Default `sound:vm-incorrect-mailbox`. */
  readonly incorrectMailbox: readonly string[];
  /** "You have". Default `sound:vm-youhave`. */
  readonly youHave: readonly string[];
  /** "and". Default `sound:vm-and`. */
  readonly and: readonly string[];
  /** "no". Default `sound:vm-no`. */
  readonly no: readonly string[];
  /** "message". Default `sound:vm-message`. */
  readonly message: readonly string[];
  /** "messages". Default `sound:vm-messages`. */
  readonly messages: readonly string[];
  /** "first". Default `sound:vm-first`. */
  readonly first: readonly string[];
  /** "last". Default `sound:vm-last`. */
  readonly last: readonly string[];
  /** A reminder that a temporary greeting is on. Default `sound:vm-tempgreetactive`. */
  readonly temporaryActive: readonly string[];
  /** "Press 1 for". Default `sound:vm-onefor`. */
  readonly pressOneFor: readonly string[];
  /** The rest of the main menu. Default `sound:vm-opts`. */
  readonly mainMenu: readonly string[];
  /** The message menu, one list per key, played when the key applies. */
  readonly messageMenu: {
    readonly previous: readonly string[];
    readonly repeat: readonly string[];
    readonly next: readonly string[];
    readonly delete: readonly string[];
    readonly forward: readonly string[];
    readonly save: readonly string[];
    readonly helpExit: readonly string[];
  };
  /** "No more messages". Default `sound:vm-nomore`. */
  readonly noMore: readonly string[];
  /** Each folder's name (`vm-INBOX` says "new", `vm-Old` "old"). */
  readonly folders: Readonly<Record<MenuFolder, readonly string[]>>;
  /** Before the folder list when changing folder. Default `sound:vm-changeto`. */
  readonly changeTo: readonly string[];
  /** Before the folder list when saving. Default `sound:vm-savefolder`. */
  readonly saveFolder: readonly string[];
  /** "press". Default `sound:vm-press`. */
  readonly press: readonly string[];
  /** "for". Default `sound:vm-for`. */
  readonly for: readonly string[];
  /** "saved to" (after "message N"). Default `sound:vm-savedto`. */
  readonly savedTo: readonly string[];
  /** Default `sound:vm-deleted`. */
  readonly deleted: readonly string[];
  readonly markedUrgent: readonly string[];
  readonly markedNonUrgent: readonly string[];
  /** Asking for the mailbox to forward to. Default `sound:vm-extension`. */
  readonly forwardTo: readonly string[];
  readonly forwarded: readonly string[];
  readonly forwardUnknown: readonly string[];
  readonly forwardFull: readonly string[];
  /** Something failed. Default `sound:vm-sorry`. */
  readonly sorry: readonly string[];
  /** The options menu. Default `sound:vm-options`. */
  readonly options: readonly string[];
  /** Before recording each greeting (`vm-rec-unv`, `vm-rec-busy`, `vm-rec-name`, `vm-rec-temp`). */
  readonly record: Readonly<Record<MainGreetingKind, readonly string[]>>;
  /** After a greeting was recorded: 1 accept, 2 listen, 3 record again. Default `sound:vm-review`. */
  readonly review: readonly string[];
  /** The greeting was kept. Default `sound:vm-msgsaved`. */
  readonly greetingSaved: readonly string[];
  /** A temporary greeting is on: 1 record it again, 2 remove it. Default `sound:vm-tempgreeting2`. */
  readonly temporaryMenu: readonly string[];
  readonly temporaryRemoved: readonly string[];
  readonly newPin: readonly string[];
  readonly reenterPin: readonly string[];
  readonly pinChanged: readonly string[];
  readonly pinMismatch: readonly string[];
  /** The new PIN was refused (too short, say). Default `sound:vm-invalid-password`. */
  readonly pinInvalid: readonly string[];
  readonly goodbye: readonly string[];
}

export interface VoicemailMainTimeouts {
  /** Waiting for a key after a menu was said, before saying it again. Default 10000. */
  readonly menuMs: number;
  /** Waiting for the next digit while typing a mailbox, PIN or number. Default 5000. */
  readonly digitMs: number;
  /** Waiting for `RecordingFinished` after a greeting's recording was stopped. Default 5000. */
  readonly finishMs: number;
}

/** How many times a menu is said with no key pressed before the call ends. */
const MENU_REPEATS = 3;

/** A message as the menu knows it; `envelope` says when and from whom ("received today at 10 15 a.m. from ..."). */
export interface MenuMessage {
  readonly id: string;
  /** Its folder in the store (`INBOX`, `Urgent`, `Old`, ...). */
  readonly folder: string;
  readonly urgent: boolean;
  readonly recordingName: string;
  readonly envelope: readonly string[];
}

/** What `authenticate` finds. */
export type AuthResult =
  | {
      readonly status: 'ok';
      /** `305@default`. */
      readonly mailbox: string;
      readonly newMessages: number;
      readonly oldMessages: number;
      readonly hasTemporaryGreeting: boolean;
      readonly greetingLimits: { readonly maxSeconds: number; readonly maxSilenceSeconds: number };
    }
  | { readonly status: 'wrong' };

export type ForwardResult =
  | { readonly status: 'forwarded'; readonly to: string }
  | { readonly status: 'unknown' | 'full' };

export type ChangePinResult = { readonly status: 'changed' } | { readonly status: 'invalid' };

export interface VoicemailMainInput {
  readonly callId: string;
  /** Unique to the call, safe in names: playback and recording names derive from it. */
  readonly tag: string;
  /** The mailbox the dialplan gave (`305@default`); `null` to ask for it. */
  readonly mailbox: string | null;
  /** Log-in attempts before the call ends. Default 3 (app_voicemail's `maxlogins`). */
  readonly maxLogins?: number;
  readonly keys?: Partial<VoicemailMainKeys>;
  readonly prompts?: Partial<VoicemailMainPrompts>;
  readonly timeouts?: Partial<VoicemailMainTimeouts>;
}

/** What a menu call is given at its start (its input, defaults filled in), kept unchanged to the end. */
export interface VoicemailMainSettings {
  readonly callId: string;
  readonly tag: string;
  /** The mailbox the dialplan gave, or `null`. */
  readonly givenMailbox: string | null;
  readonly maxLogins: number;
  readonly keys: VoicemailMainKeys;
  readonly prompts: VoicemailMainPrompts;
  readonly timeouts: VoicemailMainTimeouts;
}

/** The login: the mailbox typed and the tries so far, then what `authenticate` found. */
export interface VoicemailMainLogin {
  readonly typedMailbox: string;
  readonly attempts: number;
  /** Logged in: `305@default`. */
  readonly mailbox: string | null;
  readonly newMessages: number;
  readonly oldMessages: number;
  readonly greetingLimits: { readonly maxSeconds: number; readonly maxSilenceSeconds: number };
}

/** The call's playbacks: the current one (`id`, the `seq`-th of the call, playing `media`). */
export interface VoicemailMainPlayback {
  readonly seq: number;
  readonly id: string | null;
  readonly media: readonly string[];
  /** Said before the next prompt (a notice: "deleted", "message 2 saved to old"). */
  readonly pending: readonly string[];
}

/**
 * The menu machine's context. What never changes after the start sits under `settings`, the login under `login`,
 * the playbacks under `playback`: xstate's `assign` copies the top level of the context on every update, and V8
 * (Node 20) keeps an object copied that way with more than about 18 keys in slow dictionary mode, so the top level
 * stays small (at most 16 keys; test/machines/voicemail-main.test.ts holds it there).
 */
export interface VoicemailMainContext {
  readonly settings: VoicemailMainSettings;
  readonly login: VoicemailMainLogin;
  /** What is being typed (a mailbox, a PIN, a number); cleared as soon as it is used. */
  readonly digits: string;
  readonly hasTemporaryGreeting: boolean;
  readonly folder: MenuFolder;
  readonly messages: readonly MenuMessage[];
  readonly index: number;
  readonly repeats: number;
  readonly playback: VoicemailMainPlayback;
  readonly greetingKind: MainGreetingKind;
  readonly take: number;
  readonly recordingName: string | null;
  readonly takeLive: boolean;
  readonly newPin: string;
  readonly hungUp: boolean;
  readonly heard: number;
}

export type VoicemailMainEvent =
  | Pick<ChannelDtmfReceived, 'type' | 'digit'>
  | Pick<PlaybackFinished, 'type' | 'playback'>
  | Pick<RecordingStarted, 'type' | 'recording'>
  | Pick<RecordingFinished, 'type' | 'recording'>
  | Pick<RecordingFailed, 'type' | 'recording'>
  | Pick<HangupEvent, 'type'>;

export interface VoicemailMainOutput {
  /** The mailbox logged into, or `null` when nobody logged in. */
  readonly mailbox: string | null;
  /** Messages heard for the first time (moved from INBOX to Old). */
  readonly heard: number;
  readonly hungUp: boolean;
}

/** The inputs of the invoked actors. */
export interface MainPlayInput {
  readonly playbackId: string;
  readonly media: readonly string[];
}
export interface MessageRef {
  readonly mailbox: string;
  readonly id: string;
}

export const MAIN_DEFAULT_KEYS: VoicemailMainKeys = {
  enter: '#',
  listen: '1',
  changeFolder: '2',
  options: '0',
  help: '*',
  exit: '#',
  previous: '4',
  repeat: '5',
  next: '6',
  delete: '7',
  forward: '8',
  save: '9',
  urgent: '3',
  cancel: '*',
  recordUnavailable: '1',
  recordBusy: '2',
  recordName: '3',
  temporaryGreeting: '4',
  changePin: '5',
  back: '*',
  stopRecording: '#',
  accept: '1',
  review: '2',
  rerecord: '3',
  temporaryRecord: '1',
  temporaryRemove: '2',
};

export const MAIN_DEFAULT_PROMPTS: VoicemailMainPrompts = {
  askMailbox: ['sound:vm-login'],
  askPin: ['sound:vm-password'],
  incorrect: ['sound:vm-incorrect'],
  incorrectMailbox: ['sound:vm-incorrect-mailbox'],
  youHave: ['sound:vm-youhave'],
  and: ['sound:vm-and'],
  no: ['sound:vm-no'],
  message: ['sound:vm-message'],
  messages: ['sound:vm-messages'],
  first: ['sound:vm-first'],
  last: ['sound:vm-last'],
  temporaryActive: ['sound:vm-tempgreetactive'],
  pressOneFor: ['sound:vm-onefor'],
  mainMenu: ['sound:vm-opts'],
  messageMenu: {
    previous: ['sound:vm-prev'],
    repeat: ['sound:vm-repeat'],
    next: ['sound:vm-next'],
    delete: ['sound:vm-delete'],
    forward: ['sound:vm-toforward'],
    save: ['sound:vm-savemessage'],
    helpExit: ['sound:vm-helpexit'],
  },
  noMore: ['sound:vm-nomore'],
  folders: {
    INBOX: ['sound:vm-INBOX'],
    Old: ['sound:vm-Old'],
    Work: ['sound:vm-Work'],
    Family: ['sound:vm-Family'],
    Friends: ['sound:vm-Friends'],
  },
  changeTo: ['sound:vm-changeto'],
  saveFolder: ['sound:vm-savefolder'],
  press: ['sound:vm-press'],
  for: ['sound:vm-for'],
  savedTo: ['sound:vm-savedto'],
  deleted: ['sound:vm-deleted'],
  markedUrgent: ['sound:vm-marked-urgent'],
  markedNonUrgent: ['sound:vm-marked-nonurgent'],
  forwardTo: ['sound:vm-extension'],
  forwarded: ['sound:vm-msgforwarded'],
  forwardUnknown: ['sound:invalid'],
  forwardFull: ['sound:vm-mailboxfull'],
  sorry: ['sound:vm-sorry'],
  options: ['sound:vm-options'],
  record: {
    unavailable: ['sound:vm-rec-unv'],
    busy: ['sound:vm-rec-busy'],
    name: ['sound:vm-rec-name'],
    temporary: ['sound:vm-rec-temp'],
  },
  review: ['sound:vm-review'],
  greetingSaved: ['sound:vm-msgsaved'],
  temporaryMenu: ['sound:vm-tempgreeting2'],
  temporaryRemoved: ['sound:vm-tempremoved'],
  newPin: ['sound:vm-newpassword'],
  reenterPin: ['sound:vm-reenterpassword'],
  pinChanged: ['sound:vm-passchanged'],
  pinMismatch: ['sound:vm-mismatch'],
  pinInvalid: ['sound:vm-invalid-password'],
  goodbye: ['sound:vm-goodbye'],
};

export const MAIN_DEFAULT_TIMEOUTS: VoicemailMainTimeouts = { menuMs: 10000, digitMs: 5000, finishMs: 5000 };

const DTMF_KEY = /^[0-9*#A-D]$/;

function resolveKeys(keys: Partial<VoicemailMainKeys> | undefined): VoicemailMainKeys {
  const resolved: { -readonly [K in keyof VoicemailMainKeys]: string | null } = { ...MAIN_DEFAULT_KEYS };
  for (const [name, key] of Object.entries(keys ?? {}) as [keyof VoicemailMainKeys, string | null | undefined][]) {
    if (!(name in MAIN_DEFAULT_KEYS)) throw new TypeError(`voicemail-main: unknown key "${name}"`);
    if (key === undefined) continue;
    if (key !== null && (typeof key !== 'string' || !DTMF_KEY.test(key))) {
      throw new TypeError(`voicemail-main: keys.${name} must be one DTMF key of 0-9 * # A-D, or null`);
    }
    resolved[name] = key;
  }
  if (resolved.enter === null) throw new TypeError('voicemail-main: keys.enter cannot be switched off');
  return resolved;
}

function resolveTimeouts(timeouts: Partial<VoicemailMainTimeouts> | undefined): VoicemailMainTimeouts {
  const resolved = { ...MAIN_DEFAULT_TIMEOUTS };
  for (const [name, ms] of Object.entries(timeouts ?? {})) {
    if (!(name in MAIN_DEFAULT_TIMEOUTS)) throw new TypeError(`voicemail-main: unknown timeout "${name}"`);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
      throw new TypeError(`voicemail-main: timeouts.${name} must be a positive number of ms`);
    }
    resolved[name as keyof VoicemailMainTimeouts] = ms;
  }
  return resolved;
}

/** "You have 2 new messages and 1 old message", "You have no messages". */
export function summaryMedia(p: VoicemailMainPrompts, newMessages: number, oldMessages: number): string[] {
  const count = (n: number, folder: MenuFolder) => [
    `number:${n}`,
    ...p.folders[folder],
    ...(n === 1 ? p.message : p.messages),
  ];
  if (newMessages === 0 && oldMessages === 0) return [...p.youHave, ...p.no, ...p.messages];
  return [
    ...p.youHave,
    ...(newMessages > 0 ? count(newMessages, 'INBOX') : []),
    ...(newMessages > 0 && oldMessages > 0 ? p.and : []),
    ...(oldMessages > 0 ? count(oldMessages, 'Old') : []),
  ];
}

/** "press 0 for new messages, press 1 for old messages, ..." */
function folderList(p: VoicemailMainPrompts): string[] {
  return MENU_FOLDERS.flatMap((folder, digit) => [
    ...p.press,
    `digits:${digit}`,
    ...p.for,
    ...p.folders[folder],
    ...p.messages,
  ]);
}

/** `login` until the caller types a mailbox (shared by every call: the context is never changed in place). */
const NOT_LOGGED_IN: VoicemailMainLogin = {
  typedMailbox: '',
  attempts: 0,
  mailbox: null,
  newMessages: 0,
  oldMessages: 0,
  greetingLimits: { maxSeconds: 60, maxSilenceSeconds: 10 },
};

/** `playback` before the first prompt. */
const NO_PLAYBACK: VoicemailMainPlayback = { seq: 0, id: null, media: [], pending: [] };

const notProvided = (name: string) => () => {
  throw new Error(`voicemail-main machine: "${name}" is not provided (use createVoicemailMainCalls or provide)`);
};

type Ctx = { context: VoicemailMainContext };

const current = (context: VoicemailMainContext): MenuMessage | undefined => context.messages[context.index];
const messageRef = ({ context }: Ctx): MessageRef => ({
  mailbox: context.login.mailbox as string,
  id: current(context)?.id as string,
});
const hangUp = { actions: 'markHungUp' } as const;

export const voicemailMainMachine = setup({
  types: {
    context: {} as VoicemailMainContext,
    events: {} as VoicemailMainEvent,
    input: {} as VoicemailMainInput,
    output: {} as VoicemailMainOutput,
  },
  actors: {
    answerChannel: fromPromise<void, void>(notProvided('answerChannel')),
    playMedia: fromPromise<void, MainPlayInput>(notProvided('playMedia')),
    authenticate: fromPromise<AuthResult, { mailbox: string; pin: string }>(notProvided('authenticate')),
    openFolder: fromPromise<MenuMessage[], { mailbox: string; folder: MenuFolder }>(notProvided('openFolder')),
    markHeard: fromPromise<MenuMessage, MessageRef>(notProvided('markHeard')),
    deleteMessage: fromPromise<void, MessageRef>(notProvided('deleteMessage')),
    moveMessage: fromPromise<void, MessageRef & { folder: MenuFolder }>(notProvided('moveMessage')),
    setUrgent: fromPromise<MenuMessage, MessageRef & { urgent: boolean }>(notProvided('setUrgent')),
    forwardMessage: fromPromise<ForwardResult, MessageRef & { digits: string }>(notProvided('forwardMessage')),
    startRecording: fromPromise<void, { recordingName: string; maxDurationSeconds: number; maxSilenceSeconds: number }>(
      notProvided('startRecording'),
    ),
    purgeRecording: fromPromise<void, { recordingName: string }>(notProvided('purgeRecording')),
    acceptGreeting: fromPromise<void, { mailbox: string; kind: MainGreetingKind; recordingName: string }>(
      notProvided('acceptGreeting'),
    ),
    removeGreeting: fromPromise<void, { mailbox: string; kind: MainGreetingKind }>(notProvided('removeGreeting')),
    changePin: fromPromise<ChangePinResult, { mailbox: string; pin: string }>(notProvided('changePin')),
    finishCall: fromPromise<void, void>(notProvided('finishCall')),
  },
  actions: {
    stopPlayback: (_, _params: { playbackId: string | null }) => {},
    stopRecording: (_, _params: { recordingName: string | null }) => {},
    cancelRecording: (_, _params: { recordingName: string | null }) => {},
    releaseHeld: (_, _params: { recordingName: string }) => {},
    reportError: (_, _params: { error: unknown; during: string }) => {},
    markHungUp: assign({ hungUp: true }),
    prompt: assign(({ context: { settings, playback } }, params: { media: readonly string[] }) => ({
      playback: {
        seq: playback.seq + 1,
        id: `${settings.tag}-p${playback.seq + 1}`,
        media: [...playback.pending, ...params.media],
        pending: [],
      },
    })),
    say: assign(({ context: { playback } }, params: { media: readonly string[] }) => ({
      playback: { ...playback, pending: [...playback.pending, ...params.media] },
    })),
    clearDigits: assign({ digits: '' }),
    addDigit: assign(({ context, event }) => ({
      digits: event.type === 'ChannelDtmfReceived' ? context.digits + event.digit : context.digits,
    })),
    keepMailbox: assign(({ context }) => ({ login: { ...context.login, typedMailbox: context.digits }, digits: '' })),
    keepNewPin: assign(({ context }) => ({ newPin: context.digits, digits: '' })),
    forgetPins: assign({ digits: '', newPin: '' }),
    countAttempt: assign(({ context }) => ({
      login: { ...context.login, attempts: context.login.attempts + 1 },
      digits: '',
    })),
    keepLogin: assign(({ context }, { auth }: { auth: AuthResult }) => {
      if (auth.status !== 'ok') return {};
      return {
        login: {
          typedMailbox: '',
          attempts: context.login.attempts,
          mailbox: auth.mailbox,
          newMessages: auth.newMessages,
          oldMessages: auth.oldMessages,
          greetingLimits: auth.greetingLimits,
        },
        hasTemporaryGreeting: auth.hasTemporaryGreeting,
        folder: (auth.newMessages > 0 ? 'INBOX' : 'Old') as MenuFolder,
        digits: '',
      };
    }),
    keepMessages: assign((_, { messages }: { messages: MenuMessage[] }) => ({
      messages,
      index: 0,
    })),
    chooseFolder: assign((_, params: { folder: MenuFolder }) => ({ folder: params.folder })),
    resetRepeats: assign({ repeats: 0 }),
    countRepeat: assign(({ context }) => ({ repeats: context.repeats + 1 })),
    goTo: assign((_, params: { index: number }) => ({ index: params.index })),
    replaceMessage: assign(({ context }, { updated }: { updated: MenuMessage }) => {
      return { messages: context.messages.map((m, i) => (i === context.index ? updated : m)) };
    }),
    countHeard: assign(({ context }) => ({ heard: context.heard + 1 })),
    dropMessage: assign(({ context }) => ({ messages: context.messages.filter((_, i) => i !== context.index) })),
    setGreetingKind: assign((_, params: { kind: MainGreetingKind }) => ({ greetingKind: params.kind })),
    nameNextTake: assign(({ context }) => ({
      take: context.take + 1,
      recordingName: `${recordingPrefixOf(context.login.mailbox)}greeting-${context.greetingKind}-${context.settings.tag}-${context.take + 1}`,
      takeLive: true,
    })),
    markTakeGone: assign({ takeLive: false }),
    markTemporaryOn: assign(({ context }) => ({
      hasTemporaryGreeting: context.hasTemporaryGreeting || context.greetingKind === 'temporary',
    })),
    markTemporaryOff: assign({ hasTemporaryGreeting: false }),
  },
  guards: {
    isKey: ({ context, event }, params: { key: keyof VoicemailMainKeys }) =>
      event.type === 'ChannelDtmfReceived' &&
      context.settings.keys[params.key] !== null &&
      event.digit === context.settings.keys[params.key],
    isDigit: ({ event }) => event.type === 'ChannelDtmfReceived' && /^[0-9]$/.test(event.digit),
    isFolderDigit: ({ event }) =>
      event.type === 'ChannelDtmfReceived' && /^[0-9]$/.test(event.digit) && Number(event.digit) < MENU_FOLDERS.length,
    isCurrentPlayback: ({ context, event }) =>
      event.type === 'PlaybackFinished' && context.playback.id !== null && event.playback.id === context.playback.id,
    isCurrentTake: ({ context, event }) =>
      (event.type === 'RecordingFinished' || event.type === 'RecordingFailed') &&
      context.recordingName !== null &&
      event.recording.name === context.recordingName,
    hasDigits: ({ context }) => context.digits.length > 0,
    hasGivenMailbox: ({ context }) => context.settings.givenMailbox !== null,
    isLoginOk: (_, { auth }: { auth: AuthResult }) => auth.status === 'ok',
    hasAttemptsLeft: ({ context }) => context.login.attempts + 1 < context.settings.maxLogins,
    hasRepeatsLeft: ({ context }) => context.repeats < MENU_REPEATS - 1,
    hasMessages: ({ context }) => context.messages.length > 0,
    hasNext: ({ context }) => context.index + 1 < context.messages.length,
    hasPrevious: ({ context }) => context.index > 0,
    isNew: ({ context }) => {
      const m = current(context);
      return m !== undefined && (m.folder === 'INBOX' || m.folder === 'Urgent');
    },
    isUrgent: ({ context }) => current(context)?.urgent === true,
    hasCurrentMessage: ({ context }) => context.index < context.messages.length,
    hasHungUp: ({ context }) => context.hungUp,
    isTakeLive: ({ context }) => context.takeLive,
    hasTemporary: ({ context }) => context.hasTemporaryGreeting,
    isPinConfirmed: ({ context }) => context.digits === context.newPin,
    isForwarded: (_, { result }: { result: ForwardResult }) => result.status === 'forwarded',
    isForwardTargetUnknown: (_, { result }: { result: ForwardResult }) => result.status === 'unknown',
    isPinChanged: (_, { result }: { result: ChangePinResult }) => result.status === 'changed',
  },
  delays: {
    menuTimeout: ({ context }) => context.settings.timeouts.menuMs,
    digitTimeout: ({ context }) => context.settings.timeouts.digitMs,
    finishTimeout: ({ context }) => context.settings.timeouts.finishMs,
  },
}).createMachine({
  id: 'voicemailMain',
  description:
    "The mailbox owner's menu (app_voicemail's VoiceMailMain): log in, listen, manage messages and greetings.",
  context: ({ input }) => ({
    settings: {
      callId: input.callId,
      tag: input.tag,
      givenMailbox: input.mailbox,
      maxLogins: validMaxLogins(input.maxLogins),
      keys: resolveKeys(input.keys),
      prompts: { ...MAIN_DEFAULT_PROMPTS, ...input.prompts },
      timeouts: resolveTimeouts(input.timeouts),
    },
    login: NOT_LOGGED_IN,
    digits: '',
    hasTemporaryGreeting: false,
    folder: 'INBOX',
    messages: [],
    index: 0,
    repeats: 0,
    playback: NO_PLAYBACK,
    greetingKind: 'unavailable',
    take: 0,
    recordingName: null,
    takeLive: false,
    newPin: '',
    hungUp: false,
    heard: 0,
  }),
  initial: 'answering',
  on: {
    // Asterisk drops a stop or cancel sent before a take really records (while the beep plays or the recording is
    // queued behind it): the implementation holds those until this RecordingStarted, whatever state the call is in.
    RecordingStarted: {
      actions: { type: 'releaseHeld', params: ({ event }) => ({ recordingName: event.recording.name }) },
    },
    hangup: { target: '.hungUp', actions: ['markHungUp', 'forgetPins'] },
  },
  states: {
    answering: {
      description: 'Answers the channel, before anything is played to the caller.',
      invoke: {
        src: 'answerChannel',
        onDone: [{ guard: 'hasGivenMailbox', target: 'login.pin' }, { target: 'login.mailbox' }],
        onError: {
          target: 'finishing',
          actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'start' }) },
        },
      },
    },
    login: {
      description: 'The mailbox (unless the dialplan gave it) and its PIN, each ended by #; three tries.',
      initial: 'mailbox',
      states: {
        mailbox: {
          initial: 'prompting',
          states: {
            prompting: {
              entry: [
                'clearDigits',
                { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.askMailbox }) },
              ],
              invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
              on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'typing' } },
            },
            typing: {
              after: {
                digitTimeout: [
                  { guard: 'hasDigits', target: '#voicemailMain.login.pin', actions: 'keepMailbox' },
                  {
                    guard: 'hasAttemptsLeft',
                    target: '#voicemailMain.login.mailbox',
                    reenter: true,
                    actions: 'countAttempt',
                  },
                  { target: '#voicemailMain.goodbye' },
                ],
              },
            },
          },
          on: {
            ChannelDtmfReceived: [
              {
                guard: and([key('enter'), 'hasDigits']),
                target: 'pin',
                actions: ['keepMailbox', stop()],
              },
              { guard: 'isDigit', target: '.typing', reenter: true, actions: ['addDigit', stop()] },
            ],
          },
        },
        pin: {
          initial: 'prompting',
          states: {
            prompting: {
              entry: [
                'clearDigits',
                { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.askPin }) },
              ],
              invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
              on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'typing' } },
            },
            typing: {
              after: { digitTimeout: { target: '#voicemailMain.login.checking' } },
            },
          },
          on: {
            ChannelDtmfReceived: [
              { guard: { type: 'isKey', params: { key: 'enter' } }, target: 'checking', actions: stop() },
              { guard: 'isDigit', target: '.typing', reenter: true, actions: ['addDigit', stop()] },
            ],
          },
        },
        checking: {
          description: 'Checks the PIN against its stored hash; the digits are forgotten whatever the answer.',
          invoke: {
            src: 'authenticate',
            input: ({ context }) => ({
              mailbox: context.settings.givenMailbox ?? context.login.typedMailbox,
              pin: context.digits,
            }),
            onDone: [
              {
                guard: { type: 'isLoginOk', params: ({ event }) => ({ auth: event.output }) },
                target: '#voicemailMain.loading',
                actions: [{ type: 'keepLogin', params: ({ event }) => ({ auth: event.output }) }, 'resetRepeats'],
              },
              {
                guard: and(['hasAttemptsLeft', 'hasGivenMailbox']),
                target: 'pin',
                actions: [
                  'countAttempt',
                  { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.incorrect }) },
                ],
              },
              {
                guard: 'hasAttemptsLeft',
                target: 'mailbox',
                actions: [
                  'countAttempt',
                  { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.incorrectMailbox }) },
                ],
              },
              {
                target: '#voicemailMain.goodbye',
                actions: [
                  'countAttempt',
                  { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.incorrect }) },
                ],
              },
            ],
            onError: {
              target: '#voicemailMain.goodbye',
              actions: [
                'forgetPins',
                { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'authenticate' }) },
                { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.sorry }) },
              ],
            },
          },
        },
      },
    },
    loading: {
      description: 'Opens the first folder (new messages, or old ones when there are none new).',
      invoke: {
        src: 'openFolder',
        input: ({ context }) => ({ mailbox: context.login.mailbox as string, folder: context.folder }),
        onDone: {
          target: 'menu',
          actions: [
            { type: 'keepMessages', params: ({ event }) => ({ messages: event.output }) },
            {
              type: 'say',
              params: ({ context }) => ({
                media: [
                  ...summaryMedia(context.settings.prompts, context.login.newMessages, context.login.oldMessages),
                  ...(context.hasTemporaryGreeting ? context.settings.prompts.temporaryActive : []),
                ],
              }),
            },
          ],
        },
        onError: {
          target: 'goodbye',
          actions: [
            { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'openFolder' }) },
            { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.sorry }) },
          ],
        },
      },
    },
    menu: {
      description: '1 the messages of this folder, 2 change folder, 0 mailbox options, * help, # goodbye.',
      initial: 'prompting',
      states: {
        prompting: {
          entry: {
            type: 'prompt',
            params: ({ context }) => ({
              media: [
                ...(context.messages.length > 0
                  ? [
                      ...context.settings.prompts.pressOneFor,
                      ...context.settings.prompts.folders[context.folder],
                      ...context.settings.prompts.messages,
                    ]
                  : []),
                ...context.settings.prompts.mainMenu,
              ],
            }),
          },
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
        },
        waiting: {
          after: {
            menuTimeout: [
              { guard: 'hasRepeatsLeft', target: 'prompting', actions: 'countRepeat' },
              { target: '#voicemailMain.goodbye' },
            ],
          },
        },
      },
      on: {
        ChannelDtmfReceived: [
          {
            guard: and([key('listen'), 'hasMessages']),
            target: 'message',
            actions: [stop(), 'resetRepeats', { type: 'goTo', params: { index: 0 } }],
          },
          {
            guard: { type: 'isKey', params: { key: 'listen' } },
            target: '.prompting',
            actions: [stop(), { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.noMore }) }],
          },
          {
            guard: { type: 'isKey', params: { key: 'changeFolder' } },
            target: 'changingFolder',
            actions: [stop(), 'resetRepeats'],
          },
          {
            guard: { type: 'isKey', params: { key: 'options' } },
            target: 'options',
            actions: [stop(), 'resetRepeats'],
          },
          { guard: { type: 'isKey', params: { key: 'exit' } }, target: 'goodbye', actions: stop() },
          {
            guard: { type: 'isKey', params: { key: 'help' } },
            target: '.prompting',
            actions: [stop(), 'resetRepeats'],
          },
        ],
      },
    },
    changingFolder: {
      description: 'Which folder: 0 new, 1 old, 2 work, 3 family, 4 friends; * gives up.',
      initial: 'prompting',
      states: {
        prompting: {
          entry: {
            type: 'prompt',
            params: ({ context }) => ({
              media: [...context.settings.prompts.changeTo, ...folderList(context.settings.prompts)],
            }),
          },
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
        },
        waiting: { after: { menuTimeout: { target: '#voicemailMain.menu' } } },
        opening: {
          on: { ChannelDtmfReceived: {} },
          invoke: {
            src: 'openFolder',
            input: ({ context }) => ({ mailbox: context.login.mailbox as string, folder: context.folder }),
            onDone: {
              target: '#voicemailMain.menu',
              actions: [
                { type: 'keepMessages', params: ({ event }) => ({ messages: event.output }) },
                {
                  type: 'say',
                  params: ({ context }) => ({
                    media: [
                      ...context.settings.prompts.youHave,
                      ...(context.messages.length > 0
                        ? [`number:${context.messages.length}`]
                        : context.settings.prompts.no),
                      ...context.settings.prompts.folders[context.folder],
                      ...(context.messages.length === 1
                        ? context.settings.prompts.message
                        : context.settings.prompts.messages),
                    ],
                  }),
                },
              ],
            },
            onError: {
              target: '#voicemailMain.menu',
              actions: [
                { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'openFolder' }) },
                { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.sorry }) },
              ],
            },
          },
        },
      },
      on: {
        ChannelDtmfReceived: [
          {
            guard: 'isFolderDigit',
            target: '.opening',
            actions: [
              stop(),
              {
                type: 'chooseFolder',
                params: ({ event }) => ({ folder: MENU_FOLDERS[Number(digitOf(event))] as MenuFolder }),
              },
            ],
          },
          { guard: { type: 'isKey', params: { key: 'cancel' } }, target: 'menu', actions: stop() },
        ],
      },
    },
    message: {
      description: 'One message: marked heard, its number, envelope and audio, then the message menu.',
      initial: 'opening',
      states: {
        opening: {
          always: [{ guard: 'isNew', target: 'marking' }, { target: 'playing' }],
        },
        marking: {
          description: 'A new message moves to Old (and the lamp is updated) as it is opened; a hang-up waits for it.',
          on: { hangup: hangUp, ChannelDtmfReceived: {} },
          invoke: {
            src: 'markHeard',
            input: messageRef,
            onDone: [
              {
                guard: 'hasHungUp',
                target: '#voicemailMain.hungUp',
                actions: [{ type: 'replaceMessage', params: ({ event }) => ({ updated: event.output }) }, 'countHeard'],
              },
              {
                target: 'playing',
                actions: [{ type: 'replaceMessage', params: ({ event }) => ({ updated: event.output }) }, 'countHeard'],
              },
            ],
            onError: [
              {
                guard: 'hasHungUp',
                target: '#voicemailMain.hungUp',
                actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'markHeard' }) },
              },
              {
                target: 'playing',
                actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'markHeard' }) },
              },
            ],
          },
        },
        playing: {
          entry: {
            type: 'prompt',
            params: ({ context }) => {
              const m = current(context) as MenuMessage;
              const p = context.settings.prompts;
              const position =
                context.index === 0
                  ? [...p.first, ...p.message]
                  : context.index === context.messages.length - 1
                    ? [...p.last, ...p.message]
                    : [...p.message, `number:${context.index + 1}`];
              return { media: [...position, ...m.envelope, `recording:${m.recordingName}`] };
            },
          },
          invoke: {
            src: 'playMedia',
            input: ({ context }) => playInput(context),
            onError: {
              target: 'instructions',
              actions: [
                { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'playMessage' }) },
                { type: 'say', params: ({ context }) => ({ media: context.settings.prompts.sorry }) },
              ],
            },
          },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'instructions', actions: 'resetRepeats' } },
        },
        instructions: {
          entry: {
            type: 'prompt',
            params: ({ context }) => {
              const menu = context.settings.prompts.messageMenu;
              return {
                media: [
                  ...(context.index > 0 ? menu.previous : []),
                  ...menu.repeat,
                  ...(context.index + 1 < context.messages.length ? menu.next : []),
                  ...menu.delete,
                  ...menu.forward,
                  ...menu.save,
                  ...menu.helpExit,
                ],
              };
            },
          },
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
        },
        waiting: {
          after: {
            menuTimeout: [
              { guard: 'hasRepeatsLeft', target: 'instructions', actions: 'countRepeat' },
              { target: '#voicemailMain.goodbye' },
            ],
          },
        },
        deleting: {
          on: { hangup: hangUp, ChannelDtmfReceived: {} },
          invoke: {
            src: 'deleteMessage',
            input: messageRef,
            onDone: [
              { guard: 'hasHungUp', target: '#voicemailMain.hungUp' },
              { target: 'afterRemoval', actions: ['dropMessage', say('deleted')] },
            ],
            onError: [
              {
                guard: 'hasHungUp',
                target: '#voicemailMain.hungUp',
                actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'delete' }) },
              },
              {
                target: 'instructions',
                actions: [
                  { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'delete' }) },
                  say('sorry'),
                ],
              },
            ],
          },
        },
        afterRemoval: {
          description: 'The message left this folder: on to the one that took its place, or back to the menu.',
          always: [
            { guard: 'hasCurrentMessage', target: 'opening' },
            { target: '#voicemailMain.menu', actions: say('noMore') },
          ],
        },
        choosingFolder: {
          description: 'Which folder to save it to: 0 new, 1 old, 2 work, 3 family, 4 friends; * gives up.',
          initial: 'prompting',
          states: {
            prompting: {
              entry: {
                type: 'prompt',
                params: ({ context }) => ({
                  media: [...context.settings.prompts.saveFolder, ...folderList(context.settings.prompts)],
                }),
              },
              invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
              on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
            },
            waiting: { after: { menuTimeout: { target: '#voicemailMain.message.instructions' } } },
          },
          on: {
            ChannelDtmfReceived: [
              {
                guard: 'isFolderDigit',
                target: 'moving',
                actions: [stop(), { type: 'clearDigits' }, 'addDigit'],
              },
              { guard: { type: 'isKey', params: { key: 'cancel' } }, target: 'instructions', actions: stop() },
              {},
            ],
          },
        },
        moving: {
          on: { hangup: hangUp, ChannelDtmfReceived: {} },
          invoke: {
            src: 'moveMessage',
            input: ({ context }) => ({
              ...messageRef({ context }),
              folder: MENU_FOLDERS[Number(context.digits)] as MenuFolder,
            }),
            onDone: [
              { guard: 'hasHungUp', target: '#voicemailMain.hungUp' },
              {
                target: 'afterRemoval',
                actions: [
                  {
                    type: 'say',
                    params: ({ context }) => ({
                      media: [
                        ...context.settings.prompts.message,
                        `number:${context.index + 1}`,
                        ...context.settings.prompts.savedTo,
                        ...context.settings.prompts.folders[MENU_FOLDERS[Number(context.digits)] as MenuFolder],
                      ],
                    }),
                  },
                  'dropMessage',
                  'clearDigits',
                ],
              },
            ],
            onError: [
              {
                guard: 'hasHungUp',
                target: '#voicemailMain.hungUp',
                actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'save' }) },
              },
              {
                target: 'instructions',
                actions: [
                  'clearDigits',
                  { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'save' }) },
                  say('sorry'),
                ],
              },
            ],
          },
        },
        urgency: {
          on: { hangup: hangUp, ChannelDtmfReceived: {} },
          invoke: {
            src: 'setUrgent',
            input: ({ context }) => ({ ...messageRef({ context }), urgent: !current(context)?.urgent }),
            onDone: [
              { guard: 'hasHungUp', target: '#voicemailMain.hungUp' },
              {
                target: 'instructions',
                actions: [
                  { type: 'replaceMessage', params: ({ event }) => ({ updated: event.output }) },
                  {
                    type: 'say',
                    params: ({ context }) => ({
                      media: current(context)?.urgent
                        ? context.settings.prompts.markedUrgent
                        : context.settings.prompts.markedNonUrgent,
                    }),
                  },
                ],
              },
            ],
            onError: [
              {
                guard: 'hasHungUp',
                target: '#voicemailMain.hungUp',
                actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'urgent' }) },
              },
              {
                target: 'instructions',
                actions: [
                  { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'urgent' }) },
                  say('sorry'),
                ],
              },
            ],
          },
        },
        forwarding: {
          description: 'The mailbox to forward to, then #; * gives up.',
          initial: 'prompting',
          states: {
            prompting: {
              entry: [
                'clearDigits',
                { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.forwardTo }) },
              ],
              invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
              on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'typing' } },
            },
            typing: {
              after: {
                digitTimeout: [
                  { guard: 'hasDigits', target: 'sending' },
                  { target: '#voicemailMain.message.instructions' },
                ],
              },
            },
            sending: {
              description: 'A hang-up waits for the copy: it is then whole in the other mailbox, or not made.',
              on: { hangup: hangUp, ChannelDtmfReceived: {} },
              invoke: {
                src: 'forwardMessage',
                input: ({ context }) => ({ ...messageRef({ context }), digits: context.digits }),
                onDone: [
                  { guard: 'hasHungUp', target: '#voicemailMain.hungUp' },
                  {
                    guard: { type: 'isForwarded', params: ({ event }) => ({ result: event.output }) },
                    target: '#voicemailMain.message.instructions',
                    actions: say('forwarded'),
                  },
                  {
                    guard: { type: 'isForwardTargetUnknown', params: ({ event }) => ({ result: event.output }) },
                    target: '#voicemailMain.message.instructions',
                    actions: say('forwardUnknown'),
                  },
                  { target: '#voicemailMain.message.instructions', actions: say('forwardFull') },
                ],
                onError: [
                  {
                    guard: 'hasHungUp',
                    target: '#voicemailMain.hungUp',
                    actions: {
                      type: 'reportError',
                      params: ({ event }) => ({ error: event.error, during: 'forward' }),
                    },
                  },
                  {
                    target: '#voicemailMain.message.instructions',
                    actions: [
                      { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'forward' }) },
                      say('sorry'),
                    ],
                  },
                ],
              },
            },
          },
          on: {
            ChannelDtmfReceived: [
              {
                guard: and([key('enter'), 'hasDigits']),
                target: '.sending',
                actions: stop(),
              },
              { guard: { type: 'isKey', params: { key: 'enter' } }, target: 'instructions', actions: stop() },
              { guard: { type: 'isKey', params: { key: 'cancel' } }, target: 'instructions', actions: stop() },
              { guard: 'isDigit', target: '.typing', reenter: true, actions: ['addDigit', stop()] },
              {},
            ],
          },
        },
      },
      on: {
        ChannelDtmfReceived: [
          { guard: { type: 'isKey', params: { key: 'repeat' } }, target: '.playing', actions: stop() },
          {
            guard: and([key('next'), 'hasNext']),
            target: 'message',
            reenter: true,
            actions: [stop(), { type: 'goTo', params: ({ context }) => ({ index: context.index + 1 }) }],
          },
          {
            guard: { type: 'isKey', params: { key: 'next' } },
            target: '.instructions',
            actions: [stop(), say('noMore')],
          },
          {
            guard: and([key('previous'), 'hasPrevious']),
            target: 'message',
            reenter: true,
            actions: [stop(), { type: 'goTo', params: ({ context }) => ({ index: context.index - 1 }) }],
          },
          {
            guard: { type: 'isKey', params: { key: 'previous' } },
            target: '.instructions',
            actions: [stop(), say('noMore')],
          },
          { guard: { type: 'isKey', params: { key: 'delete' } }, target: '.deleting', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'save' } }, target: '.choosingFolder', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'urgent' } }, target: '.urgency', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'forward' } }, target: '.forwarding', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'help' } }, target: '.instructions', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'exit' } }, target: 'goodbye', actions: stop() },
        ],
      },
    },
    options: {
      description: 'Mailbox options: 1 unavailable greeting, 2 busy greeting, 3 name, 4 temporary greeting, 5 PIN.',
      initial: 'prompting',
      states: {
        prompting: {
          entry: { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.options }) },
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
        },
        waiting: {
          after: {
            menuTimeout: [
              { guard: 'hasRepeatsLeft', target: 'prompting', actions: 'countRepeat' },
              { target: '#voicemailMain.menu', actions: 'resetRepeats' },
            ],
          },
        },
      },
      on: {
        ChannelDtmfReceived: [
          {
            guard: { type: 'isKey', params: { key: 'recordUnavailable' } },
            target: 'greeting',
            actions: [stop(), { type: 'setGreetingKind', params: { kind: 'unavailable' } }],
          },
          {
            guard: { type: 'isKey', params: { key: 'recordBusy' } },
            target: 'greeting',
            actions: [stop(), { type: 'setGreetingKind', params: { kind: 'busy' } }],
          },
          {
            guard: { type: 'isKey', params: { key: 'recordName' } },
            target: 'greeting',
            actions: [stop(), { type: 'setGreetingKind', params: { kind: 'name' } }],
          },
          {
            guard: and([key('temporaryGreeting'), 'hasTemporary']),
            target: 'temporaryGreeting',
            actions: stop(),
          },
          {
            guard: { type: 'isKey', params: { key: 'temporaryGreeting' } },
            target: 'greeting',
            actions: [stop(), { type: 'setGreetingKind', params: { kind: 'temporary' } }],
          },
          { guard: { type: 'isKey', params: { key: 'changePin' } }, target: 'newPin', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'back' } }, target: 'menu', actions: [stop(), 'resetRepeats'] },
        ],
      },
    },
    temporaryGreeting: {
      description: 'A temporary greeting is on: 1 records it again, 2 removes it, * back.',
      initial: 'prompting',
      states: {
        prompting: {
          entry: { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.temporaryMenu }) },
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
        },
        waiting: { after: { menuTimeout: { target: '#voicemailMain.options' } } },
        removing: {
          on: { hangup: hangUp, ChannelDtmfReceived: {} },
          invoke: {
            src: 'removeGreeting',
            input: ({ context }) => ({ mailbox: context.login.mailbox as string, kind: 'temporary' as const }),
            onDone: [
              { guard: 'hasHungUp', target: '#voicemailMain.hungUp', actions: 'markTemporaryOff' },
              { target: '#voicemailMain.options', actions: ['markTemporaryOff', say('temporaryRemoved')] },
            ],
            onError: [
              {
                guard: 'hasHungUp',
                target: '#voicemailMain.hungUp',
                actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'greeting' }) },
              },
              {
                target: '#voicemailMain.options',
                actions: [
                  { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'greeting' }) },
                  say('sorry'),
                ],
              },
            ],
          },
        },
      },
      on: {
        ChannelDtmfReceived: [
          {
            guard: { type: 'isKey', params: { key: 'temporaryRecord' } },
            target: 'greeting',
            actions: [stop(), { type: 'setGreetingKind', params: { kind: 'temporary' } }],
          },
          { guard: { type: 'isKey', params: { key: 'temporaryRemove' } }, target: '.removing', actions: stop() },
          { guard: { type: 'isKey', params: { key: 'back' } }, target: 'options', actions: stop() },
        ],
      },
    },
    greeting: {
      description: 'Records a greeting after the beep; # stops; then 1 keeps it, 2 plays it, 3 records it again.',
      initial: 'instructing',
      states: {
        instructing: {
          entry: {
            type: 'prompt',
            params: ({ context }) => ({ media: context.settings.prompts.record[context.greetingKind] }),
          },
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: {
            PlaybackFinished: { guard: 'isCurrentPlayback', target: 'recording' },
            hangup: { target: '#voicemailMain.hungUp', actions: 'markHungUp' },
          },
        },
        recording: {
          entry: 'nameNextTake',
          invoke: {
            src: 'startRecording',
            input: ({ context }) => ({
              recordingName: context.recordingName as string,
              maxDurationSeconds: context.login.greetingLimits.maxSeconds,
              maxSilenceSeconds: context.login.greetingLimits.maxSilenceSeconds,
            }),
            onError: {
              target: '#voicemailMain.options',
              actions: [
                'markTakeGone',
                { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'record' }) },
                say('sorry'),
              ],
            },
          },
          on: {
            ChannelDtmfReceived: {
              guard: { type: 'isKey', params: { key: 'stopRecording' } },
              target: 'stopping',
              actions: { type: 'stopRecording', params: ({ context }) => ({ recordingName: context.recordingName }) },
            },
          },
        },
        stopping: {
          after: { finishTimeout: { target: 'reviewing', actions: 'markTakeGone' } },
        },
        reviewing: {
          initial: 'prompting',
          states: {
            prompting: {
              entry: { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.review }) },
              invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
              on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'waiting' } },
            },
            listening: {
              entry: {
                type: 'prompt',
                params: ({ context }) => ({ media: [`recording:${context.recordingName}`] }),
              },
              invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
              on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'prompting' } },
            },
            waiting: { after: { menuTimeout: { target: '#voicemailMain.greeting.accepting' } } },
          },
          on: {
            ChannelDtmfReceived: [
              { guard: { type: 'isKey', params: { key: 'accept' } }, target: 'accepting', actions: stop() },
              { guard: { type: 'isKey', params: { key: 'review' } }, target: '.listening', actions: stop() },
              { guard: { type: 'isKey', params: { key: 'rerecord' } }, target: 'discarding', actions: stop() },
            ],
          },
        },
        accepting: {
          description: 'The take becomes the greeting (the one it replaces is deleted); a hang-up waits for it.',
          on: { hangup: hangUp },
          invoke: {
            src: 'acceptGreeting',
            input: ({ context }) => ({
              mailbox: context.login.mailbox as string,
              kind: context.greetingKind,
              recordingName: context.recordingName as string,
            }),
            onDone: [
              { guard: 'hasHungUp', target: '#voicemailMain.hungUp', actions: 'markTemporaryOn' },
              { target: '#voicemailMain.options', actions: ['markTemporaryOn', say('greetingSaved')] },
            ],
            onError: {
              target: 'discarding',
              actions: [
                { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'greeting' }) },
                say('sorry'),
              ],
            },
          },
        },
        discarding: {
          description: 'A take not kept must exist nowhere: cancelled if live, then verified deleted.',
          initial: 'deciding',
          on: { hangup: hangUp },
          states: {
            deciding: { always: [{ guard: 'isTakeLive', target: 'cancelling' }, { target: 'purging' }] },
            cancelling: {
              entry: { type: 'cancelRecording', params: ({ context }) => ({ recordingName: context.recordingName }) },
              on: { RecordingFinished: { guard: 'isCurrentTake', target: 'purging', actions: 'markTakeGone' } },
              after: { finishTimeout: { target: 'purging', actions: 'markTakeGone' } },
            },
            purging: {
              invoke: {
                src: 'purgeRecording',
                input: ({ context }) => ({ recordingName: context.recordingName as string }),
                onDone: [
                  { guard: 'hasHungUp', target: '#voicemailMain.hungUp' },
                  { target: '#voicemailMain.greeting.recording' },
                ],
                onError: [
                  {
                    guard: 'hasHungUp',
                    target: '#voicemailMain.hungUp',
                    actions: {
                      type: 'reportError',
                      params: ({ event }) => ({ error: event.error, during: 'purge' }),
                    },
                  },
                  {
                    target: '#voicemailMain.options',
                    actions: [
                      { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'purge' }) },
                      say('sorry'),
                    ],
                  },
                ],
              },
            },
          },
        },
      },
      on: {
        RecordingFinished: [
          { guard: and(['isCurrentTake', not('isTakeLive')]) },
          { guard: 'isCurrentTake', target: '.reviewing', actions: 'markTakeGone' },
        ],
        RecordingFailed: {
          guard: 'isCurrentTake',
          target: 'options',
          actions: [
            'markTakeGone',
            { type: 'reportError', params: () => ({ error: 'RecordingFailed', during: 'record' }) },
            say('sorry'),
          ],
        },
        hangup: { target: '.discarding', actions: 'markHungUp' },
      },
    },
    newPin: {
      description: 'The new PIN, then #.',
      initial: 'prompting',
      states: {
        prompting: {
          entry: [
            'clearDigits',
            { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.newPin }) },
          ],
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'typing' } },
        },
        typing: {
          after: {
            digitTimeout: [
              { guard: 'hasDigits', target: '#voicemailMain.confirmPin', actions: 'keepNewPin' },
              { target: '#voicemailMain.options' },
            ],
          },
        },
      },
      on: {
        ChannelDtmfReceived: [
          {
            guard: and([key('enter'), 'hasDigits']),
            target: 'confirmPin',
            actions: ['keepNewPin', stop()],
          },
          { guard: { type: 'isKey', params: { key: 'enter' } }, target: 'options', actions: stop() },
          { guard: 'isDigit', target: '.typing', reenter: true, actions: ['addDigit', stop()] },
        ],
      },
    },
    confirmPin: {
      description: 'The new PIN again, then #; both must match.',
      initial: 'prompting',
      states: {
        prompting: {
          entry: [
            'clearDigits',
            { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.reenterPin }) },
          ],
          invoke: { src: 'playMedia', input: ({ context }) => playInput(context) },
          on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'typing' } },
        },
        typing: { after: { digitTimeout: { target: '#voicemailMain.confirmPin.checking' } } },
        checking: {
          always: [
            { guard: 'isPinConfirmed', target: '#voicemailMain.changingPin' },
            { target: '#voicemailMain.options', actions: ['forgetPins', say('pinMismatch')] },
          ],
        },
      },
      on: {
        ChannelDtmfReceived: [
          { guard: { type: 'isKey', params: { key: 'enter' } }, target: '.checking', actions: stop() },
          { guard: 'isDigit', target: '.typing', reenter: true, actions: ['addDigit', stop()] },
        ],
      },
    },
    changingPin: {
      description: 'Stores the new PIN (hashed); a hang-up waits for it.',
      on: { hangup: hangUp },
      invoke: {
        src: 'changePin',
        input: ({ context }) => ({ mailbox: context.login.mailbox as string, pin: context.newPin }),
        onDone: [
          { guard: 'hasHungUp', target: 'hungUp', actions: 'forgetPins' },
          {
            guard: { type: 'isPinChanged', params: ({ event }) => ({ result: event.output }) },
            target: 'options',
            actions: ['forgetPins', say('pinChanged')],
          },
          { target: 'options', actions: ['forgetPins', say('pinInvalid')] },
        ],
        onError: [
          {
            guard: 'hasHungUp',
            target: 'hungUp',
            actions: [
              'forgetPins',
              { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'changePin' }) },
            ],
          },
          {
            target: 'options',
            actions: [
              'forgetPins',
              { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'changePin' }) },
              say('sorry'),
            ],
          },
        ],
      },
    },
    goodbye: {
      description: 'Says goodbye (after whatever was pending).',
      entry: { type: 'prompt', params: ({ context }) => ({ media: context.settings.prompts.goodbye }) },
      invoke: {
        src: 'playMedia',
        input: ({ context }) => playInput(context),
        onError: {
          target: 'finishing',
          actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'goodbye' }) },
        },
      },
      on: { PlaybackFinished: { guard: 'isCurrentPlayback', target: 'finishing' } },
    },
    finishing: {
      description: 'Back to the dialplan, or hangs up.',
      invoke: {
        src: 'finishCall',
        onDone: { target: 'done' },
        onError: {
          target: 'done',
          actions: { type: 'reportError', params: ({ event }) => ({ error: event.error, during: 'finish' }) },
        },
      },
    },
    hungUp: { description: 'The owner hung up; everything done so far is kept.', type: 'final' },
    done: { description: 'The menu is over.', type: 'final' },
  },
  output: ({ context }) => ({ mailbox: context.login.mailbox, heard: context.heard, hungUp: context.hungUp }),
});

function playInput(context: VoicemailMainContext): MainPlayInput {
  return { playbackId: context.playback.id as string, media: context.playback.media };
}

function stop() {
  return {
    type: 'stopPlayback' as const,
    params: ({ context }: Ctx) => ({ playbackId: context.playback.id }),
  };
}

function say(name: Exclude<keyof VoicemailMainPrompts, 'messageMenu' | 'folders' | 'record'>) {
  return { type: 'say' as const, params: ({ context }: Ctx) => ({ media: context.settings.prompts[name] }) };
}

function key(name: keyof VoicemailMainKeys) {
  return { type: 'isKey' as const, params: { key: name } };
}

function digitOf(event: VoicemailMainEvent): string {
  return event.type === 'ChannelDtmfReceived' ? event.digit : '';
}

function validMaxLogins(value: number | undefined): number {
  if (value === undefined) return 3;
  if (!Number.isInteger(value) || value < 1) throw new TypeError('voicemail-main: maxLogins must be an integer >= 1');
  return value;
}

/** `voicemail/<context>/<mailbox>/` of `305@default`, as the deposit side names a mailbox's recordings. */
function recordingPrefixOf(mailbox: string | null): string {
  const [box, context] = (mailbox ?? '').split('@');
  return `voicemail/${context}/${box}/`;
}
