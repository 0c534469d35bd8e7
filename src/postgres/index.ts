// `ari-voicemail/postgres`: the message store on PostgreSQL, for several app instances sharing mailboxes, and the
// lamps of every Asterisk kept equal to it. It needs the `pg` package (an optional peer dependency:
// `npm install pg`); the main entry never imports it.

export {
  CallFencedError,
  type ClusterMember,
  type ClusterMemberOptions,
  joinCluster,
  type TakeoverReport,
} from './cluster.js';
export {
  PostgresUploadQueue,
  type PostgresUploadQueueOptions,
  type UploadJob,
  uploadJobId,
} from './jobs.js';
export {
  type MwiElected,
  type MwiElectedOptions,
  type MwiOnChangesOptions,
  mwiLockKey,
  publishMwiElected,
  publishMwiOnChanges,
} from './mwi.js';
export { CHANGES, PostgresMessageStore, type PostgresStoreOptions } from './store.js';
