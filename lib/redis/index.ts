export * from './connection';
export * from './deduplication';
export * from './rateLimiter';
