/**
 * The store in React. Components read it with useSelector: a selector picks what the component
 * shows, and the component redraws only when that changed (by the given equality), so a message
 * in one room does not redraw the others.
 */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useSyncExternalStoreWithSelector } from 'use-sync-external-store/with-selector';
import type { Store } from './store.js';

// The store's state type is the screen's composition of feature slices, which core does not know:
// each feature's selectors declare the slices they read (`{ users: UsersState }`), and the
// composition's state type includes them all.
const StoreContext = createContext<Store<object, never> | null>(null);

export function StoreProvider({
  store,
  children,
}: {
  store: Store<object, never>;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

function useStore(): Store<object, never> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useSelector must be used inside <StoreProvider>');
  return store;
}

/** What `select` returns from the store's state; redraws when it changes by `isEqual`. */
export function useSelector<S extends object, T>(
  select: (state: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const store = useStore();
  return useSyncExternalStoreWithSelector(
    store.subscribe,
    store.getState,
    undefined,
    select as (state: object) => T,
    isEqual,
  );
}

/**
 * A context for one feature's actions (its effects object), with a hook that fails loudly when
 * the screen forgot to provide it.
 */
export function createActionsContext<T>(name: string) {
  const Context = createContext<T | null>(null);
  function useActions(): T {
    const actions = useContext(Context);
    if (!actions) throw new Error(`${name} actions are used outside their provider`);
    return actions;
  }
  return { Provider: Context.Provider, useActions };
}
