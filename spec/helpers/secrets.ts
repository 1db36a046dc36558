import { expect } from '@jest/globals';

/**
 * Secrets that no HTTP header can carry: each has one bad character at index 9, and `kind` is how
 * the ConfigError names it. Their letters are chosen to appear in no error message by chance.
 */
export const UNSENDABLE_SECRETS: readonly (readonly [label: string, secret: string, kind: RegExp])[] = [
  ['a line feed', 'tml-Qz7Xk\n9Vw2Lp', /a line feed \(LF\) at index 9\b/],
  ['CR LF and an injected header', 'tml-Qz7Xk\r\nX-Evil: 1', /a carriage return \(CR\) at index 9\b/],
  ['a NUL', 'tml-Qz7Xk\u00009Vw2Lp', /a NUL character at index 9\b/],
  ['an escape (a control character)', 'tml-Qz7Xk\u001b9Vw2Lp', /the control character U\+001B at index 9\b/],
  ['a DEL', 'tml-Qz7Xk\u007f9Vw2Lp', /the control character U\+007F at index 9\b/],
  ['a euro sign (beyond U+00FF)', 'tml-Qz7Xk\u20ac9Vw2Lp', /a character beyond U\+00FF at index 9\b/],
  ['an emoji (a surrogate pair)', 'tml-Qz7Xk\u{1F511}9Vw2Lp', /a character beyond U\+00FF at index 9\b/],
];

/** Fails when `text` holds any `width` consecutive characters of `secret`: not the secret, nor a piece of it. */
export function expectNoPieceOf(secret: string, text: string, width = 4): void {
  for (let i = 0; i + width <= secret.length; i++) {
    const piece = secret.slice(i, i + width);
    if (piece.trim().length < width) continue; // a run of blanks is no piece of a secret
    expect({ piece, found: text.includes(piece) }).toEqual({ piece, found: false });
  }
}
