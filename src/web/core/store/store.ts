/**
 * The client's one store: the state of every feature, changed only by dispatching actions through
 * the reducer. Several actions dispatched together are one change (one notification), so a feature
 * that updates another's slice along with its own never shows a half-done state.
 */

/** Every action names what happened; the rest of its fields are its facts. */
export interface Action {
  type: string;
}

export type Reducer<S, A extends Action> = (state: S, action: A) => S;

/** Called after the reducer ran: `before` is the state the action was applied to. */
export type ActionListener<S> = (action: Action, before: S) => void;

export interface Store<out S, in A extends Action = Action> {
  getState(): S;
  /** Applies the actions in order, then tells subscribers once (if anything changed). */
  dispatch(...actions: A[]): void;
  /** For React: called after every change. */
  subscribe(onChange: () => void): () => void;
  /** For effects that follow actions (their own or another feature's). */
  listen(listener: ActionListener<S>): () => void;
  /**
   * Closed, the store ignores dispatches: answers that arrive after the screen is gone change
   * nothing. It can be opened again (React's StrictMode mounts twice in development).
   */
  setOpen(open: boolean): void;
}

export function createStore<S, A extends Action>(reducer: Reducer<S, A>, initial: S): Store<S, A> {
  let state = initial;
  let open = true;
  const subscribers = new Set<() => void>();
  const listeners = new Set<ActionListener<S>>();

  return {
    getState: () => state,
    dispatch(...actions) {
      if (!open) return;
      const applied: [A, S][] = [];
      const start = state;
      for (const action of actions) {
        applied.push([action, state]);
        state = reducer(state, action);
      }
      if (state !== start) for (const onChange of [...subscribers]) onChange();
      for (const [action, before] of applied) {
        for (const listener of [...listeners]) listener(action, before);
      }
    },
    subscribe(onChange) {
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOpen(value) {
      open = value;
    },
  };
}

/**
 * A listener for some action types only, which sees them with their feature's type. Every action
 * type is unique across the client (a feature's actions are named after it), so an action of a
 * listed type is the one the feature declares.
 */
export function actionListener<A extends Action, S>(
  types: readonly A['type'][],
  listener: (action: A, before: S) => void,
): ActionListener<S> {
  const wanted = new Set<string>(types);
  return (action, before) => {
    if (wanted.has(action.type)) listener(action as A, before);
  };
}
