// Type assertions for the type tests: `expectType<Equals<A, B>>()` fails to compile unless A
// and B are the same type. `Equals` is strict: any equals only any, and unknown only unknown,
// so a type that degrades to either fails every assertion it is in.

export type IsAny<T> = 0 extends 1 & T ? true : false;

export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export function expectType<_Check extends true>(): void {}
