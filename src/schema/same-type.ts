import type { z } from 'zod';

/**
 * Type-level checks that tie a documented options interface to its zod schema: the interface
 * carries the TSDoc an editor shows, the schema the checks and defaults, and `tsc` fails the
 * moment they stop describing the same input.
 *
 * @example
 * ```ts
 * export type TinkerHttpSinkOptionsMatchSchema = Assert<Matches<TinkerHttpSinkOptions, typeof TinkerHttpSinkOptions>>;
 * // a field added to one and not the other: "Type 'false' does not satisfy the constraint 'true'"
 * ```
 */

/** `true` when `A` and `B` are the same type (optional and readonly modifiers included), else `false`. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`. */
export type Assert<T extends true> = T;

/**
 * `true` when the interface `I` describes exactly what `schema` takes (`z.input`): the same
 * options, each as optional and of the same type. `readonly` is left aside: an input's readonly
 * marks only say that rxtel does not change it.
 */
export type Matches<I, S extends z.ZodType> = Equal<Readonly<I>, Readonly<z.input<S>>>;
