export {
  actionListener,
  createStore,
  type Action,
  type ActionListener,
  type Reducer,
  type Store,
} from './store.js';
export { combineSlices, type SliceReducer } from './combine-slices.js';
export { shallowEqual } from './shallow-equal.js';
export { StoreProvider, createActionsContext, useSelector } from './react.js';
export { Subscriptions } from './subscriptions.js';
