// An app instance that only uploads: opens the upload queue on DATABASE_URL's schema UPLOAD_SCHEMA as worker
// UPLOAD_WORKER, prints `ready`, each job's progress and its warnings. The upload-queue test kills it with SIGKILL
// mid-upload, or stops it (SIGSTOP) past its lease and lets it go on.
import { PostgresMessageStore, PostgresUploadQueue } from '../../src/postgres/index.js';

const store = new PostgresMessageStore({
  connectionString: process.env.DATABASE_URL,
  schema: process.env.UPLOAD_SCHEMA,
});
const queue = await PostgresUploadQueue.open({
  store,
  entityId: 'unused',
  worker: process.env.UPLOAD_WORKER ?? 'child',
  leaseMs: Number(process.env.UPLOAD_LEASE_MS ?? 1000),
  pollMs: 50,
  logger: {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => console.log(`warn ${message}`),
    error: (message) => console.log(`error ${message}`),
  },
});
queue.subscribe((event) => console.log(`${event.type} ${event.id}`));
console.log('ready');
process.on('SIGTERM', () => void queue.close().then(() => store.close()));
