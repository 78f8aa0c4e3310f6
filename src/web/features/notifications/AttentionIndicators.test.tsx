import { act } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithStore, storeAfter } from '../../test/chat-harness.js';
import { AttentionIndicators } from './AttentionIndicators.js';

const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3C/svg%3E";

describe('the page title and icon', () => {
  afterEach(() => document.head.querySelector('link[rel="icon"]')?.remove());

  it('count unread messages outside muted rooms, and draw the count on the icon', () => {
    const link = Object.assign(document.createElement('link'), { rel: 'icon', href: ICON });
    document.head.append(link);
    const store = storeAfter({
      type: 'rooms.listed',
      rooms: [
        { id: '0', names: ['General'] },
        { id: '1:2', names: ['Pablo', 'Joe'], unread: 2 },
        { id: '5', names: ['design'], kind: 'group', unread: 4 },
      ],
    });
    const view = renderWithStore(<AttentionIndicators roomTitle="General" />, store);
    expect(document.title).toBe('(6) General · Redis Chat');
    expect(decodeURIComponent(link.href)).toContain('>6</text>');

    act(() => store.dispatch({ type: 'notifications.mute-changed', roomId: '5', muted: true }));
    expect(document.title).toBe('(2) General · Redis Chat');
    expect(decodeURIComponent(link.href)).toContain('>2</text>');

    act(() => store.dispatch({ type: 'room.opened', roomId: '1:2' }));
    expect(document.title).toBe('General · Redis Chat');
    expect(link.href).toBe(ICON);

    act(() => store.dispatch({ type: 'notifications.mute-changed', roomId: '5', muted: false }));
    expect(document.title).toBe('(4) General · Redis Chat');
    view.unmount();
    expect(link.href).toBe(ICON);
  });
});
