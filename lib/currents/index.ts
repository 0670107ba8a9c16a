export * from './contract';
export * from './client';
export * from './samples';
export * from './delivery';
export * from './registration';
