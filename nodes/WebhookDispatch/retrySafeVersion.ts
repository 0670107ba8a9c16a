import type { IExecuteFunctions } from 'n8n-workflow';

/** From 1.1: the default transactional id survives retries, and failed deliveries stop the workflow. */
export const RETRY_SAFE_VERSION = 1.1;

export const isRetrySafe = (fn: IExecuteFunctions) => fn.getNode().typeVersion >= RETRY_SAFE_VERSION;
