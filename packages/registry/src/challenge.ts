import { RegistryError } from './errors.js';

/** One challenge of a WWW-Authenticate header: its scheme (lowercased) and its parameters. */
export interface Challenge {
  /** `bearer`, `basic`, ... (lowercase; schemes are case-insensitive). */
  scheme: string;
  /** Parameter names are lowercased (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

// Hand-written: the grammar (RFC 7235 §4.1, auth-param with token or quoted-string values) is small,
// and the npm parsers for it are unmaintained or only handle one challenge per header.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses a WWW-Authenticate header, which may hold several challenges
 * (`Bearer realm="https://auth",service="registry",scope="repository:x:pull", Basic realm="r"`).
 * Throws `EINVALID` on a header that is not a challenge list.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  const fail = (): never => {
    throw new RegistryError('EINVALID', `cannot parse WWW-Authenticate header ${JSON.stringify(header)}`);
  };
  while (rest.length > 0) {
    const scheme = TOKEN.exec(rest)?.[0] ?? fail();
    rest = rest.slice(scheme.length).trimStart();
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    // Parameters until the next scheme: a token NOT followed by "=" starts a new challenge.
    while (rest.length > 0 && !rest.startsWith(',')) {
      const name = TOKEN.exec(rest)?.[0];
      if (name === undefined) fail();
      const afterName = rest.slice(name!.length).trimStart();
      if (!afterName.startsWith('=')) break; // next challenge's scheme
      rest = afterName.slice(1).trimStart();
      let value: string;
      if (rest.startsWith('"')) {
        let i = 1;
        value = '';
        for (; i < rest.length && rest[i] !== '"'; i++) {
          if (rest[i] === '\\' && i + 1 < rest.length) i++;
          value += rest[i];
        }
        if (i >= rest.length) fail();
        rest = rest.slice(i + 1);
      } else {
        value = TOKEN.exec(rest)?.[0] ?? fail();
        rest = rest.slice(value.length);
      }
      challenge.params[name!.toLowerCase()] = value;
      rest = rest.trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    }
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
  }
  return challenges;
}
