export * from './models.js';
export * from './errors.js';
export * from './limits.js';
export * from './events.js';
export * from './room-ids.js';
export * from './route-table.js';
export * from './routes.js';
export * from './version.js';
