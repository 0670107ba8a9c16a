export * from './deduplication';
export * from './receive';
export * from './credentialReader';
