export * from './crypto';
export * from './hmacSignature';
export * from './verifiers';
