/**
 * Tutorial stage 1: record a message after the beep; `#` stops and keeps it, hanging up keeps it too.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/tutorial/1-record.ts
 *
 * No review: the message is saved as soon as the recording ends. The library plays the mailbox greeting first
 * (`#` skips it to the beep). Its other recording keys (`*` again, `1` pause, `0` cancel) cannot be switched off
 * yet, so they work here too.
 */
import { runStage } from './app.js';

await runStage('stage 1 (record)', { review: false });
