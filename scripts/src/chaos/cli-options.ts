/** `--name value` options with numeric defaults; an unknown or non-numeric option is an error. */
export function parseNumericOptions<T extends Record<string, number>>(args: readonly string[], defaults: T): T {
  const options: Record<string, number> = { ...defaults };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if (!(name in defaults))
      throw new Error(
        `unknown option ${args[i]}; known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number, got "${args[i + 1]}"`);
    options[name] = value;
  }
  return options as T;
}
