import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACK_ONLINE_SHOWN_MS, ConnectionBanner } from './ConnectionBanner.js';

afterEach(() => vi.useRealTimers());

describe('ConnectionBanner', () => {
  it('says when connecting and when offline', () => {
    const { rerender } = render(<ConnectionBanner status="connecting" reconnectedAt={null} />);
    expect(screen.getByRole('status')).toHaveTextContent('Connecting…');
    rerender(<ConnectionBanner status="offline" reconnectedAt={null} />);
    expect(screen.getByRole('status')).toHaveTextContent('You are offline. Reconnecting…');
    rerender(<ConnectionBanner status="online" reconnectedAt={null} />);
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('says "Back online" for a few seconds after a reconnect', () => {
    vi.useFakeTimers();
    render(<ConnectionBanner status="online" reconnectedAt={Date.now()} />);
    expect(screen.getByRole('status')).toHaveTextContent('Back online');
    act(() => vi.advanceTimersByTime(BACK_ONLINE_SHOWN_MS + 10));
    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});
