export * from './voicemail.js';
