/**
 * Tutorial stage 2: stage 1, and `*` while recording deletes the take and records again (as often as the caller
 * likes); the deleted take is verified gone from Asterisk before the next beep.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/tutorial/2-cancel.ts
 */
import { runStage } from './app.js';

await runStage(
  'stage 2 (cancel)',
  { review: false },
  { greeting: 'none', keys: { accept: '#', rerecord: '*', pause: null, cancelAndEnd: null } },
);
