/**
 * Tutorial stage 3: after `#` the message is played back for review: `#` keeps it, `*` deletes it and records
 * again, `2` plays it again; hanging up, or 10 s without a key after the playback, keeps it.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/tutorial/3-review.ts
 */
import { runStage } from './app.js';

await runStage(
  'stage 3 (review)',
  { review: true, timeouts: { reviewMs: 10_000 } },
  {
    greeting: 'none',
    keys: { accept: '#', rerecord: '*', listen: '2', pause: null, cancelAndEnd: null, urgent: null, copy: null },
  },
);
