// The OpenAPI 3.1 document of the mailbox API (src/voicemail/api.ts), served at /openapi.json and checked against
// the implementation by test/voicemail/api.test.ts with real requests.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: unknown, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const error = (description: string) => jsonBody(ref('Error'), description);

const mailboxParam = {
  name: 'mailbox',
  in: 'path',
  required: true,
  description: 'The mailbox, `305` or `305@context` (the context defaults to `default`).',
  schema: { type: 'string' },
};
const idParam = { name: 'id', in: 'path', required: true, description: 'The message id.', schema: { type: 'string' } };
const kindParam = {
  name: 'kind',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['unavailable', 'busy', 'name', 'temporary'] },
};
const common = {
  '400': error('Bad input: a malformed mailbox, id, folder or body.'),
  '401': error('No valid bearer token (or the authorize check said no).'),
  '404': error('No such mailbox or message.'),
};
const counted = (schema: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  required: [...required, 'mwi'],
  properties: { ...schema, mwi: { oneOf: [ref('Mwi'), { type: 'null' }] } },
});
const folders = ['INBOX', 'Old', 'Urgent', 'Work', 'Family', 'Friends'];

/** The mailbox API's OpenAPI 3.1 document. */
export const MAILBOX_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'ari-voicemail mailbox API',
    version: '1.0.0',
    description: 'Messages and greetings of voicemail mailboxes, for apps that manage them without calling in.',
  },
  security: [{ bearer: [] }],
  paths: {
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document.',
        security: [],
        responses: { '200': jsonBody({ type: 'object', required: ['openapi', 'paths'] }, 'The document.') },
      },
    },
    '/mailboxes/{mailbox}/messages': {
      parameters: [mailboxParam],
      get: {
        operationId: 'listMessages',
        summary: 'The messages of a mailbox, oldest first, and how many each folder holds.',
        parameters: [{ name: 'folder', in: 'query', required: false, schema: { type: 'string', enum: folders } }],
        responses: {
          '200': jsonBody(
            {
              type: 'object',
              required: ['messages', 'counts'],
              properties: { messages: { type: 'array', items: ref('Message') }, counts: ref('Counts') },
            },
            'The messages.',
          ),
          ...common,
        },
      },
    },
    '/mailboxes/{mailbox}/messages/{id}': {
      parameters: [mailboxParam, idParam],
      get: {
        operationId: 'getMessage',
        summary: 'One message.',
        responses: {
          '200': jsonBody({ type: 'object', required: ['message'], properties: { message: ref('Message') } }, 'It.'),
          ...common,
        },
      },
      delete: {
        operationId: 'deleteMessage',
        summary: 'Deletes a message: kept in the trash (and purged after the retention) when the server has one.',
        responses: {
          '200': jsonBody(
            counted(
              {
                deleted: {
                  type: 'object',
                  required: ['id', 'deletedAt', 'kept'],
                  properties: {
                    id: { type: 'string' },
                    deletedAt: { type: ['string', 'null'] },
                    kept: { type: 'boolean' },
                  },
                },
              },
              ['deleted'],
            ),
            'Deleted; the new message-waiting counts.',
          ),
          ...common,
        },
      },
    },
    '/mailboxes/{mailbox}/messages/{id}/audio': {
      parameters: [mailboxParam, idParam],
      get: {
        operationId: 'getAudio',
        summary: 'The audio of a message, whole or a byte range.',
        parameters: [
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['wav', 'mp3'] } },
          { name: 'Range', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The whole file.',
            content: { 'audio/wav': { schema: { type: 'string' } }, 'audio/mpeg': { schema: { type: 'string' } } },
          },
          '206': {
            description: 'The range asked for (Content-Range says which).',
            content: { 'audio/wav': { schema: { type: 'string' } }, 'audio/mpeg': { schema: { type: 'string' } } },
          },
          '416': error('The range is outside the file.'),
          '501': error('This server serves no audio.'),
          ...common,
        },
      },
    },
    '/mailboxes/{mailbox}/messages/{id}/move': {
      parameters: [mailboxParam, idParam],
      post: {
        operationId: 'moveMessage',
        summary: 'Moves a message to another folder.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['folder'],
                properties: { folder: { type: 'string', enum: folders } },
              },
            },
          },
        },
        responses: {
          '200': jsonBody(counted({ message: ref('Message') }, ['message']), 'Moved.'),
          ...common,
          '415': error('The body is not JSON.'),
        },
      },
    },
    '/mailboxes/{mailbox}/messages/{id}/read': {
      parameters: [mailboxParam, idParam],
      post: {
        operationId: 'markRead',
        summary: 'Marks a message heard: from INBOX or Urgent to Old (as listening from the menu does).',
        responses: { '200': jsonBody(counted({ message: ref('Message') }, ['message']), 'Marked.'), ...common },
      },
    },
    '/mailboxes/{mailbox}/greetings': {
      parameters: [mailboxParam],
      get: {
        operationId: 'listGreetings',
        summary: 'The greetings the owner recorded or uploaded (null: none, the built-in prompt plays).',
        responses: {
          '200': jsonBody(ref('GreetingsBody'), 'The greetings.'),
          '501': error('This server manages no greetings.'),
          ...common,
        },
      },
    },
    '/mailboxes/{mailbox}/greetings/{kind}': {
      parameters: [mailboxParam, kindParam],
      put: {
        operationId: 'uploadGreeting',
        summary: 'Uploads a greeting (mono 16-bit PCM WAV) and makes it the one played.',
        requestBody: { required: true, content: { 'audio/wav': { schema: { type: 'string' } } } },
        responses: {
          '200': jsonBody(ref('GreetingsBody'), 'Kept and chosen.'),
          ...common,
          '413': error('The upload is too large.'),
          '501': error('This server keeps no greetings.'),
          '415': error('The body is not audio/wav.'),
        },
      },
      delete: {
        operationId: 'removeGreeting',
        summary: 'Removes a greeting (the configured one or the built-in prompt plays again).',
        responses: {
          '200': jsonBody(ref('GreetingsBody'), 'Removed.'),
          '501': error('This server manages no greetings.'),
          ...common,
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
      Message: {
        type: 'object',
        required: [
          'id',
          'mailbox',
          'context',
          'folder',
          'callerId',
          'receivedAt',
          'durationSeconds',
          'urgent',
          'recordingName',
          'format',
        ],
        properties: {
          id: { type: 'string' },
          mailbox: { type: 'string' },
          context: { type: 'string' },
          folder: { type: 'string', enum: folders },
          callerId: {
            type: 'object',
            required: ['number', 'name'],
            properties: { number: { type: 'string' }, name: { type: 'string' } },
          },
          receivedAt: { type: 'string' },
          durationSeconds: { type: ['number', 'null'] },
          urgent: { type: 'boolean' },
          recordingName: { type: 'string' },
          format: { type: 'string' },
          transcription: { type: 'string' },
        },
      },
      Counts: {
        type: 'object',
        required: folders,
        properties: Object.fromEntries(folders.map((f) => [f, { type: 'integer' }])),
      },
      Mwi: {
        type: 'object',
        required: ['newMessages', 'oldMessages'],
        properties: { newMessages: { type: 'integer' }, oldMessages: { type: 'integer' } },
      },
      GreetingsBody: {
        type: 'object',
        required: ['greetings'],
        properties: {
          greetings: {
            type: 'object',
            required: ['unavailable', 'busy', 'name', 'temporary'],
            properties: Object.fromEntries(
              ['unavailable', 'busy', 'name', 'temporary'].map((k) => [k, { type: ['string', 'null'] }]),
            ),
          },
        },
      },
    },
  },
} as const;
