// The live view: a page on loopback that shows every running call on its statechart, offline.
export { type LiveCall, LiveCalls, type LiveCallsOptions, type LiveTransition, type LiveUpdate } from './calls.js';
export { LIVE_VIEW_UNAUTHORIZED, type LiveView, type LiveViewOptions, startLiveView } from './server.js';
export type { LiveChart } from './types.js';
