/**
 * Tutorial stage 3: after `#` the message is played back for review: `#` keeps it, `*` deletes it and records
 * again, `2` plays it again; hanging up, or 10 s without a key after the playback, keeps it.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk npx tsx examples/tutorial/3-review.ts
 *
 * Review's other keys (`4` urgent, `8` copy) cannot be switched off yet, so they work here too.
 */
import { runStage } from './app.js';

await runStage('stage 3 (review)', { review: true, timeouts: { reviewMs: 10_000 } });
