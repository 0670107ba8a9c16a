export * from './crypto';
export * from './hmacSignature';
export * from './secrets';
export * from './standardWebhooks';
export * from './verification';
export * from './verifiers';
