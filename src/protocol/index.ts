export * from './models.js';
export * from './errors.js';
export * from './limits.js';
export type * from './events.js';
export * from './room-ids.js';
