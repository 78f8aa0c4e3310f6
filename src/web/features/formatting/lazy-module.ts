/**
 * A module loaded on first need (its own chunk in the build), which components can wait for:
 * they render without it first and again once it is there.
 */
import { useEffect, useSyncExternalStore } from 'react';

export class LazyModule<T> {
  private value: T | null = null;
  private loading: Promise<T> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly importer: () => Promise<T>) {}

  /** The module if it has arrived, else null. */
  readonly current = (): T | null => this.value;

  /** Starts loading (once); a failed load is tried again at the next call. */
  load(): Promise<T> {
    this.loading ??= this.importer().then(
      (value) => {
        this.value = value;
        for (const listener of [...this.listeners]) listener();
        return value;
      },
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** The module once loaded; asks for it while `wanted`. Null until then (or if it fails to load). */
export function useLazyModule<T>(module: LazyModule<T>, wanted: boolean): T | null {
  const value = useSyncExternalStore(module.subscribe, module.current);
  useEffect(() => {
    // A chunk that cannot be fetched leaves the text as typed: nothing is lost, so nothing to say.
    if (wanted && !value) module.load().catch(() => undefined);
  }, [module, wanted, value]);
  return value;
}
