import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AttachmentTray } from './AttachmentTray.js';
import { useAttachments } from './use-attachments.js';

function Tray() {
  return <AttachmentTray attachments={useAttachments('0')} />;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('AttachmentTray', () => {
  it('shows the server’s refusal of an upload (429) under the file, as an alert', async () => {
    const refusal =
      'you are uploading files too fast: at most 20 a minute (UPLOADS_PER_USER_PER_MINUTE); wait 41 s';
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        new Response(JSON.stringify({ code: 'rate_limited', message: refusal }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '41' },
        }),
      ),
    );
    render(<Tray />);
    await userEvent
      .setup()
      .upload(screen.getByLabelText('Files to attach'), new File(['x'], 'tiny.txt'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`Not uploaded. ${refusal}`);
    expect(screen.getByRole('list', { name: 'Files for the next message' })).toHaveTextContent(
      'tiny.txt',
    );
  });
});
