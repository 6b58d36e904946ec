import { InvalidArgumentError } from 'commander';
import { isoDateTimeProblem } from './task-fields.js';

/** Commander option parsers: a bad value is a usage error (exit 2) naming the option. */
export function integerOption(min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('Must be an integer.');
    const number = Number(value);
    if (number < min || number > max) throw new InvalidArgumentError(`Must be from ${min} to ${max}.`);
    return number;
  };
}

export function jsonOption(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`Not valid JSON (${(error as Error).message}).`);
  }
}

export function isoDateTimeOption(value: string): string {
  const problem = isoDateTimeProblem(value);
  if (problem) throw new InvalidArgumentError(`It ${problem}.`);
  return value;
}

/** `pending,failed` or repeated flags, collected into one list. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  ];
}

/** A repeatable flag taken as is (task names may contain commas). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
