/**
 * Tutorial stage 1: the beep sounds at once (no greeting) and the caller speaks; `#` stops the recording and keeps
 * it, hanging up keeps it too. No other key does anything.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/tutorial/1-record.ts
 *
 * No review: the message is saved as soon as the recording ends.
 */
import { runStage } from './app.js';

await runStage(
  'stage 1 (record)',
  { review: false },
  { greeting: 'none', keys: { accept: '#', rerecord: null, pause: null, cancelAndEnd: null } },
);
