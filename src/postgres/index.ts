// `ari-voicemail/postgres`: the message store on PostgreSQL, for several app instances sharing mailboxes. It needs
// the `pg` package (an optional peer dependency: `npm install pg`); the main entry never imports it.
export { PostgresMessageStore, type PostgresStoreOptions } from './store.js';
