export * from './item';
