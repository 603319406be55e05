/**
 * Shared flag parsers for commander: numbers and integers with range checks, so a bad flag
 * produces an error that names the flag (e.g. "--size: expected a positive integer, got 'abc'").
 */
import { InvalidArgumentError } from 'commander';

export function intArg(min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^[-+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer, got '${value}'`);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got ${n}`);
    return n;
  };
}

export function floatArg(min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'`);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number in [${min}, ${max}], got ${n}`);
    return n;
  };
}

export function choiceArg<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got '${value}'`);
    return value as T;
  };
}

/** 0/1 flags like the C tools (`--binary 1`, `--cbow 0`). */
export function boolArg(value: string): boolean {
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw new InvalidArgumentError(`expected 0 or 1, got '${value}'`);
}
