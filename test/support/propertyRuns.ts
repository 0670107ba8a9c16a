/** True in Stryker's workers (the mutation runs), which set STRYKER_MUTATOR_WORKER. */
export const inMutationRun = process.env.STRYKER_MUTATOR_WORKER !== undefined;

/**
 * How many cases a property test tries: `full` in `npm test`; a tenth (at least 20) in
 * Stryker's workers, where every mutant reruns the properties that reach it and a mutant dies on
 * the first cases that reach it, so the mutation run stays within its time budget.
 */
export const propertyRuns = (full: number): number => (inMutationRun ? Math.max(20, Math.ceil(full / 10)) : full);
