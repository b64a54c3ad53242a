// Container ids (64 hex digits, shown as 12) and names (Docker's rules and random names).
import { randomBytes } from 'node:crypto';
import { invalid } from './errors.js';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

export const shortId = (id: string): string => id.slice(0, 12);

// Docker's restricted name pattern (daemon/names.go): [a-zA-Z0-9][a-zA-Z0-9_.-]+
const NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** "/name" form from a user's name; throws INVALID (400) for names Docker refuses. */
export function normalizeName(name: string): string {
  if (!NAME.test(name))
    throw invalid(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return name.startsWith('/') ? name : `/${name}`;
}

const LEFT = [
  'agile',
  'brave',
  'calm',
  'clever',
  'eager',
  'fond',
  'gentle',
  'happy',
  'jolly',
  'keen',
  'kind',
  'lucid',
  'merry',
  'nifty',
  'proud',
  'quick',
  'quiet',
  'sharp',
  'steady',
  'swift',
  'tidy',
  'vivid',
  'wise',
  'zen',
];
const RIGHT = [
  'anchor',
  'bollard',
  'buoy',
  'capstan',
  'cleat',
  'dock',
  'ferry',
  'harbor',
  'hull',
  'jetty',
  'keel',
  'lighthouse',
  'mooring',
  'pier',
  'quay',
  'rudder',
  'schooner',
  'skiff',
  'tug',
  'wharf',
];

/** A random "adjective_noun" name; `taken` says whether a name is in use. */
export function randomName(taken: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const l = LEFT[randomBytes(1)[0]! % LEFT.length]!;
    const r = RIGHT[randomBytes(1)[0]! % RIGHT.length]!;
    const name = i < 10 ? `/${l}_${r}` : `/${l}_${r}${i}`;
    if (!taken(name)) return name;
  }
}
