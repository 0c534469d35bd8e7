// `npm run openapi`: writes the mailbox API's OpenAPI document to docs/openapi.json (a test checks it is current).
import { writeFile } from 'node:fs/promises';
import { MAILBOX_OPENAPI } from '../src/voicemail/api-openapi.js';

await writeFile(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(MAILBOX_OPENAPI, null, 2)}\n`);
console.log('wrote docs/openapi.json');
