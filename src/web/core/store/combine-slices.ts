/**
 * Builds the store's reducer from one reducer per slice, like Redux's combineReducers, with one
 * addition: each slice reducer also gets the whole state as it was before the action, so a rule
 * that depends on another feature's state (is this room open? is this message new?) reads it
 * through that feature's selectors instead of keeping a copy.
 */
import type { Action } from './store.js';

/** A slice's reducer: the actions it does not know leave its slice as it is. */
export type SliceReducer<S, A extends Action, R> = (slice: S, action: A, root: R) => S;

// Each slice reducer names the actions it handles; the store passes it every action, and a
// reducer returns its slice untouched for the others. `never` is what lets a reducer of a narrower
// action type stand in the table.
type SliceReducers<R> = { [K in keyof R]: SliceReducer<R[K], never, R> };

export function combineSlices<R extends object, A extends Action>(
  reducers: SliceReducers<R>,
): (state: R, action: A) => R {
  const keys = Object.keys(reducers) as (keyof R)[];
  return (state, action) => {
    let next: R | null = null;
    for (const key of keys) {
      const reducer = reducers[key] as SliceReducer<R[typeof key], A, R>;
      const slice = reducer(state[key], action, state);
      if (slice !== state[key]) {
        next ??= { ...state };
        next[key] = slice;
      }
    }
    return next ?? state;
  };
}
