/** For unit tests of the rules: the refusal a use case answered with, or a failure if none. */
export function refusal(
  work: Promise<unknown>,
): Promise<{ code: string; message: string; retryAfterS?: number }> {
  return work.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as { code: string; message: string; retryAfterS?: number },
  );
}
