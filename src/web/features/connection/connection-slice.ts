/** Whether the chat is live: connecting, online, or offline (and when it came back). */
import { useSelector } from '../../core/store/index.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** When the connection came back after being lost (ms since epoch), for "Back online". */
  reconnectedAt: number | null;
}

export interface WithConnection {
  connection: ConnectionState;
}

export type ConnectionAction = { type: 'connection.changed'; status: ConnectionStatus; at: number };

export const initialConnectionState = (): ConnectionState => ({
  status: 'connecting',
  reconnectedAt: null,
});

export function connectionReducer(
  slice: ConnectionState,
  action: ConnectionAction,
): ConnectionState {
  if (action.type !== 'connection.changed' || action.status === slice.status) return slice;
  const cameBack = action.status === 'online' && slice.status === 'offline';
  return {
    status: action.status,
    reconnectedAt: cameBack ? action.at : action.status === 'online' ? slice.reconnectedAt : null,
  };
}

export const selectConnectionStatus = (state: WithConnection) => state.connection.status;
export const selectReconnectedAt = (state: WithConnection) => state.connection.reconnectedAt;

export const useConnectionStatus = (): ConnectionStatus => useSelector(selectConnectionStatus);
export const useReconnectedAt = (): number | null => useSelector(selectReconnectedAt);
