/** What an effects object listens to while started (server events, store actions), dropped at once. */
export class Subscriptions {
  private unsubscribes: (() => void)[] = [];

  add(...unsubscribes: (() => void)[]): void {
    this.unsubscribes.push(...unsubscribes);
  }

  clear(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }
}
