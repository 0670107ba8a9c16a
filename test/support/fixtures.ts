import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file of test/fixtures as text: the raw body a platform sends. */
export const fixtureText = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

/** A file of test/fixtures, parsed. */
export const fixtureJson = (name: string): unknown => JSON.parse(fixtureText(name));
