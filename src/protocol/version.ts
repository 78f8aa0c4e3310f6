/**
 * The version of the contract (routes.ts, events.ts) in the API documents. Raise the major part
 * when a change would break a client of the previous one.
 */
export const CONTRACT_VERSION = '1.0.0';
