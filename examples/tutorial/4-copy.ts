/**
 * Tutorial stage 4: stage 3, and in review `8`, a mailbox's digits and `#` copy the message there (a message of its
 * own, with its own recording and message-waiting count); `*` while typing gives up. `#` then keeps the original.
 *
 *   ARI_URL=http://localhost:8088 ARI_USERNAME=asterisk ARI_PASSWORD=asterisk \
 *     npx tsx examples/tutorial/4-copy.ts --mailboxes 305,320
 */
import { runStage } from './app.js';

await runStage(
  'stage 4 (copy)',
  { review: true, timeouts: { reviewMs: 10_000 } },
  {
    greeting: 'none',
    keys: {
      accept: '#',
      rerecord: '*',
      listen: '2',
      copy: '8',
      copyEnter: '#',
      copyCancel: '*',
      pause: null,
      cancelAndEnd: null,
      urgent: null,
    },
  },
);
