/**
 * Runs `count` operations with `inFlight` concurrent loops, each taking the next index until
 * none is left. The first error stops every loop from taking more and is rethrown.
 */
export async function inParallel(count: number, inFlight: number, operation: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (!failure && next < count) {
        const index = next++;
        try {
          await operation(index);
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
}
